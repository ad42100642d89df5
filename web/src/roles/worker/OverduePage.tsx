import { SchedulePage } from './SchedulePage';

export default function OverduePage() {
  return <SchedulePage which="overdue" />;
}
