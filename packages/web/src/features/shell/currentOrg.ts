import { useParams } from 'react-router';
import type { Viewer } from '../accounts/viewer';

const LAST_ORG_KEY = 'portico.lastOrganizationId';

export function rememberOrganization(id: string): void {
  try {
    localStorage.setItem(LAST_ORG_KEY, id);
  } catch {
    // storage may be unavailable (private mode); remembering is a nicety
  }
}

function lastOrganizationId(): string | null {
  try {
    return localStorage.getItem(LAST_ORG_KEY);
  } catch {
    return null;
  }
}

export type ViewerOrganization = Viewer['organizations'][number];

/** The organization the page is about: the route's, else the last one used, else the first. */
export function useCurrentOrganization(viewer: Viewer): ViewerOrganization | null {
  const { orgId } = useParams();
  const orgs = viewer.organizations;
  const wanted = orgId ?? lastOrganizationId();
  return orgs.find((org) => org.id === wanted) ?? (orgId ? null : (orgs[0] ?? null));
}
