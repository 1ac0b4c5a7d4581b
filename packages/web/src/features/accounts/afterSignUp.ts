import { safeNext } from '../common/format';

const KEY = 'portico.afterSignUp';

/**
 * Where to go once the link mailed at sign-up is opened (e.g. back to an invitation): kept in
 * this browser between the sign-up form and the link, which may open in another tab.
 */
export function rememberAfterSignUp(next: string): void {
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Storage may be unavailable (private mode): the link then leads to the home page.
  }
}

/** The page remembered at sign-up (only a path of this site), or the home page. */
export function pageAfterSignUp(): string {
  try {
    return safeNext(localStorage.getItem(KEY));
  } catch {
    return '/';
  }
}

export function forgetAfterSignUp(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}
