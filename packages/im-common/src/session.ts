/**
 * What box-im puts in the JWT `info` claim (as a JSON string): the user and the terminal
 * the token was issued for. im-server reads only `userId` and `terminal`.
 */
export interface UserSession {
  userId: number;
  userName: string;
  nickName: string;
  terminal: number;
}

/** Parse the `info` claim; returns null if it is not a usable session. */
export function parseSessionInfo(info: unknown): UserSession | null {
  if (typeof info !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(info);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const userId = Number(v['userId']);
  const terminal = Number(v['terminal']);
  if (!Number.isSafeInteger(userId) || userId <= 0) return null;
  if (!Number.isInteger(terminal)) return null;
  return {
    userId,
    terminal,
    userName: typeof v['userName'] === 'string' ? v['userName'] : '',
    nickName: typeof v['nickName'] === 'string' ? v['nickName'] : '',
  };
}
