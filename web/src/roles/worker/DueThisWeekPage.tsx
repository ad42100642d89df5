import { SchedulePage } from './SchedulePage';

export default function DueThisWeekPage() {
  return <SchedulePage which="due" />;
}
