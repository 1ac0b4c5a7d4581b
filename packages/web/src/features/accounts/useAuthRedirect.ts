import { useApolloClient } from '@apollo/client/react';
import { useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../common/format';

/**
 * Where sign-in and sign-up go on to: the page in `?next=` (when it is safe), else the home page.
 * `nextQuery` carries it over to the other of the two pages; `enter` starts the new session
 * from an empty cache and goes there.
 */
export function useAuthRedirect(): {
  next: string;
  nextQuery: string;
  enter: () => Promise<void>;
} {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const client = useApolloClient();
  const nextQuery = params.get('next') ? `?next=${encodeURIComponent(next)}` : '';
  const enter = async () => {
    await client.clearStore();
    await navigate(next, { replace: true });
  };
  return { next, nextQuery, enter };
}
