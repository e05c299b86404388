/**
 * Where the two JWTs live. The access token belongs to one tab / app run (`tab` storage);
 * the refresh token is also kept in `persistent` storage when the user asked to be
 * remembered. Passwords are never stored.
 *
 * Browser: `tokenStore(sessionStorage, localStorage)`. uni-app: the same uni storage for both
 * (an app stays logged in across restarts, as box-im's app does).
 */
import type { SyncStorage } from '../platform';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface TokenStore {
  accessToken(): string | null;
  refreshToken(): string | null;
  /** Whether the refresh token outlives the tab. */
  isRemembered(): boolean;
  /** Keep new tokens; `remember` defaults to the current choice. */
  save(tokens: Tokens, remember?: boolean): void;
  clear(): void;
}

const ACCESS = 'accessToken';
const REFRESH = 'refreshToken';

export function tokenStore(tab: SyncStorage, persistent: SyncStorage): TokenStore {
  const store: TokenStore = {
    accessToken: () => tab.getItem(ACCESS),
    refreshToken: () => tab.getItem(REFRESH) ?? persistent.getItem(REFRESH),
    isRemembered: () => persistent.getItem(REFRESH) !== null,
    save(tokens, remember = store.isRemembered()) {
      tab.setItem(ACCESS, tokens.accessToken);
      tab.setItem(REFRESH, tokens.refreshToken);
      if (remember) persistent.setItem(REFRESH, tokens.refreshToken);
      else if (persistent !== tab) persistent.removeItem(REFRESH);
    },
    clear() {
      tab.removeItem(ACCESS);
      tab.removeItem(REFRESH);
      persistent.removeItem(REFRESH);
    },
  };
  return store;
}
