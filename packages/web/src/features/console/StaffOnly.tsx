import type { ReactNode } from 'react';
import { useViewer } from '../accounts/viewer';
import { Empty } from '../common/states';

/** The staff console's pages are for staff: others see why, and nothing is queried. */
export function StaffOnly({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="This page is for the portal's staff." />;
  }
  return <>{children}</>;
}
