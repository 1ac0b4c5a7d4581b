import { useQuery } from '@apollo/client/react';
import { graphql } from '../../gql';
import type { ViewerQuery as ViewerQueryResult } from '../../gql/graphql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      name
      email
      emailVerified
      platformRole
      canCreateApps
      organizations {
        id
        name
        slug
        kind
        viewerRole
      }
    }
  }
`);

export type Viewer = NonNullable<ViewerQueryResult['viewer']>;

/** The signed-in user; only for components under RequireAuth (the query is already cached). */
export function useViewer(): Viewer {
  const { data } = useQuery(ViewerQuery, { fetchPolicy: 'cache-first' });
  const viewer = data?.viewer;
  if (!viewer) throw new Error('useViewer used outside RequireAuth');
  return viewer;
}
