import { Link } from 'react-router-dom';
import { MaskedValue } from '../../components/MaskedValue';
import { useGroup } from './worker-api';

/**
 * A household named by its head as the API gave it in the list (masked: 张*明), linking to its
 * page. The lists carry the names (schedule and caseload answers), so no request per row.
 */
export function HouseholdName({ id, name }: { id: string; name: string | null | undefined }) {
  return (
    <Link to={`/worker/households/${id}`} data-household={id}>
      <MaskedValue value={name} />
    </Link>
  );
}

/** A group by the name the list gave, else (the household page) by its own read. */
export function GroupName({ id, name }: { id: string; name?: string | null | undefined }) {
  if (name) return <>{name}</>;
  return <FetchedGroupName id={id} />;
}

function FetchedGroupName({ id }: { id: string }) {
  const group = useGroup(id);
  return <>{group.data?.name ?? '…'}</>;
}
