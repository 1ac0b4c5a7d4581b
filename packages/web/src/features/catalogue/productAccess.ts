import { planForProduct } from '../products/orgPlans';

interface OrganizationLike {
  id: string;
  name: string;
  planSubscriptions: readonly { product: { id: string }; plan: { id: string } }[];
  appsConnection: {
    nodes: readonly {
      id: string;
      name: string;
      status: string;
      grants: readonly { status: string; product: { id: string } }[];
    }[];
  };
}

export interface TryItAppChoice {
  id: string;
  /** "App name · Organization" when the viewer is in several organizations. */
  name: string;
  organizationId: string;
}

/**
 * The viewer's apps that can call the product now: active, with an approved grant for it.
 * Named with their organization when the viewer has more than one.
 */
export function appsGrantedProduct(
  organizations: readonly OrganizationLike[],
  productId: string,
): TryItAppChoice[] {
  const several = organizations.length > 1;
  return organizations.flatMap((org) =>
    org.appsConnection.nodes
      .filter(
        (app) =>
          app.status === 'ACTIVE' &&
          app.grants.some((grant) => grant.status === 'APPROVED' && grant.product.id === productId),
      )
      .map((app) => ({
        id: app.id,
        name: several ? `${app.name} · ${org.name}` : app.name,
        organizationId: org.id,
      })),
  );
}

/**
 * The plan each of the viewer's organizations has for the product (the chosen one, else the
 * lowest), for the "your limits" panel; organizations with an app granted the product first.
 */
export function plansForProduct<P extends { id: string; rank: number }>(
  organizations: readonly OrganizationLike[],
  plans: readonly P[],
  productId: string,
): {
  organizationId: string;
  organizationName: string;
  plan: P | null;
  chosen: boolean;
  granted: boolean;
}[] {
  const granted = new Set(
    appsGrantedProduct(organizations, productId).map((a) => a.organizationId),
  );
  return organizations
    .map((org) => ({
      organizationId: org.id,
      organizationName: org.name,
      ...planForProduct(productId, org.planSubscriptions, plans),
      granted: granted.has(org.id),
    }))
    .sort((a, b) => Number(b.granted) - Number(a.granted));
}
