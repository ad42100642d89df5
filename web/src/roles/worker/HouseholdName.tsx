import { Link } from 'react-router-dom';
import { MaskedValue } from '../../components/MaskedValue';
import { headOf, useGroup, useHousehold } from './worker-api';

/** A household named by its head (as the API masks it), linking to its page. */
export function HouseholdName({ id }: { id: string }) {
  const household = useHousehold(id);
  const head = headOf(household.data);
  return <Link to={`/worker/households/${id}`}>{head ? <MaskedValue value={head.name} /> : id.slice(0, 8)}</Link>;
}

export function GroupName({ id }: { id: string }) {
  const group = useGroup(id);
  return <>{group.data?.name ?? id.slice(0, 8)}</>;
}
