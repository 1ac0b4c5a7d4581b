import { Navigate } from 'react-router';
import { useViewer } from '../features/accounts/viewer';
import { useCurrentOrganization } from '../features/shell/currentOrg';

/** `/`: the last organization used, or the first; a new user creates one. */
export function HomeRedirect() {
  const viewer = useViewer();
  const current = useCurrentOrganization(viewer);
  return <Navigate to={current ? `/orgs/${current.id}` : '/orgs/new'} replace />;
}
