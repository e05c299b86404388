/**
 * Token storage. The access token lives in sessionStorage (per tab). The refresh token
 * lives in localStorage only with "remember me" — the password is never stored.
 */
const ACCESS = 'accessToken';
const REFRESH = 'refreshToken';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export function getAccessToken(): string | null {
  return sessionStorage.getItem(ACCESS);
}

export function getRefreshToken(): string | null {
  return sessionStorage.getItem(REFRESH) ?? localStorage.getItem(REFRESH);
}

export function isRemembered(): boolean {
  return localStorage.getItem(REFRESH) !== null;
}

export function saveTokens(tokens: Tokens, remember: boolean = isRemembered()): void {
  sessionStorage.setItem(ACCESS, tokens.accessToken);
  sessionStorage.setItem(REFRESH, tokens.refreshToken);
  if (remember) localStorage.setItem(REFRESH, tokens.refreshToken);
  else localStorage.removeItem(REFRESH);
}

export function clearTokens(): void {
  sessionStorage.removeItem(ACCESS);
  sessionStorage.removeItem(REFRESH);
  localStorage.removeItem(REFRESH);
}
