import { countyToday } from '../components/deadline';
import { useSession } from './SessionContext';

/** Today in the county as the service counts it: the demo county's day when signed in to a demo, else the wall clock's (UTC+8). */
export function useToday(): string {
  const { session } = useSession();
  return session?.countyDay ?? countyToday();
}
