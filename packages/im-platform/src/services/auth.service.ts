import { isTerminal, type UserSession } from '@box-im/im-common';
import type { UserRow } from '../db';
import { AppError, AuthErrors, CommonErrors } from '../errors';
import { TokenService, type TokenPair, type VerifiedToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { checkNickName, checkUserName, loginName } from './names';

export interface LoginInput {
  terminal: number;
  userName: string;
  password: string;
}

export interface RegisterInput {
  userName: string;
  password: string;
  nickName?: string | undefined;
}

export type AuthServiceDeps = Pick<
  ServiceDeps,
  'users' | 'tokens' | 'revocations' | 'authUsers' | 'passwords' | 'words' | 'im' | 'clock'
>;

/** Accounts: register, login, token refresh, password change, and request authentication. */
export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  async register(input: RegisterInput): Promise<void> {
    const userName = checkUserName(input.userName);
    const nickName = checkNickName(input.nickName ?? '') || userName;
    if (this.deps.words.contains(userName)) throw new AppError(AuthErrors.USERNAME_SENSITIVE);
    if (this.deps.words.contains(nickName)) throw new AppError(AuthErrors.NICKNAME_SENSITIVE);
    if (await this.deps.users.findByUserName(userName))
      throw new AppError(AuthErrors.USERNAME_ALREADY_REGISTER);
    const id = await this.deps.users.insert({
      user_name: userName,
      nick_name: nickName,
      password: await this.deps.passwords.hash(input.password),
      created_time: this.deps.clock.now(),
    });
    // Lost a race with a concurrent registration of the same name.
    if (id === null) throw new AppError(AuthErrors.USERNAME_ALREADY_REGISTER);
  }

  async login(input: LoginInput): Promise<TokenPair> {
    const user = await this.deps.users.findByUserName(loginName(input.userName));
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    if (user.is_banned) throw new AppError(AuthErrors.USER_BANNED, { reason: user.reason });
    if (!(await this.deps.passwords.verify(input.password, user.password)))
      throw new AppError(AuthErrors.PASSWORD_ERROR);
    let passwordHash = user.password;
    if (this.deps.passwords.needsRehash(passwordHash)) {
      passwordHash = await this.deps.passwords.hash(input.password);
      await this.deps.users.updatePassword(user.id, passwordHash);
      // A new fingerprint: tokens issued under the old hash stop working (as without the cache).
      await this.deps.authUsers.changed(user.id);
    }
    await this.deps.users.touchLogin(user.id, this.deps.clock.now());
    const session: UserSession = {
      nickName: user.nick_name,
      terminal: input.terminal,
      userId: user.id,
      userName: user.user_name,
    };
    return this.deps.tokens.issue(
      JSON.stringify(session),
      user.id,
      TokenService.passwordVersion(passwordHash),
    );
  }

  /** New token pair for a valid refresh token; the `info` claim is carried over unchanged. */
  async refresh(refreshToken: string | undefined): Promise<TokenPair> {
    if (!refreshToken) throw new AppError(AuthErrors.REFRESH_EXPIRED);
    const outcome = await this.deps.tokens.verifyRefresh(refreshToken);
    if (!outcome.ok) throw new AppError(AuthErrors.REFRESH_EXPIRED);
    const user = await this.deps.users.findById(outcome.token.session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    if (user.is_banned) throw new AppError(AuthErrors.USER_BANNED, { reason: user.reason });
    if (!(await this.stillValid(user, outcome.token))) throw new AppError(AuthErrors.REFRESH_EXPIRED);
    return this.deps.tokens.issue(outcome.token.info, user.id, TokenService.passwordVersion(user.password));
  }

  async modifyPassword(session: UserSession, oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.deps.users.findById(session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    if (!(await this.deps.passwords.verify(oldPassword, user.password)))
      throw new AppError(AuthErrors.OLD_PASSWORD_ERROR);
    // A new hash changes the password fingerprint, which revokes every older token here; the
    // marker revokes them on the push nodes, whose open connections are closed too (their
    // clients return to the login page).
    await this.deps.users.updatePassword(user.id, await this.deps.passwords.hash(newPassword));
    await this.revokeTokens(user.id);
    await this.deps.im.forceLogout(user.id);
  }

  /**
   * Revoke every token of the user issued until now, where the database cannot tell: on the
   * push nodes (login refused, connections closed on a force-logout or a ban notice) and for
   * box-im's tokens here. Called on password change, ban and deletion. Every platform
   * process hears of it at once (a bus notice updates its remembered markers), and forgets
   * the user's remembered facts (the row changed: a new password, a ban, gone).
   */
  async revokeTokens(userId: number): Promise<void> {
    await this.deps.revocations.revoke(
      userId,
      this.deps.clock.now().getTime(),
      this.deps.tokens.maxLifetimeSeconds * 1000,
    );
    await this.deps.authUsers.changed(userId);
  }

  /**
   * The session of a request's access token. Missing → 400, undecodable, expired, revoked
   * by a password change or of a deleted user → 401; banned → the ban message.
   */
  async authenticate(accessToken: string | undefined): Promise<UserSession> {
    if (!accessToken) throw new AppError(CommonErrors.NO_LOGIN);
    const outcome = await this.deps.tokens.verifyAccess(decodeURIComponentSafe(accessToken));
    if (!outcome.ok || !isTerminal(outcome.token.session.terminal))
      throw new AppError(CommonErrors.INVALID_TOKEN);
    const { userId } = outcome.token.session;
    // The marker (remembered, kept current by bus notices; read from the bus when they are
    // down) is checked beside the row: it outlives a lifted ban, so tokens from before a ban
    // stay dead after it, like on the push nodes.
    // The row's facts are remembered a few seconds and forgotten on every change of them.
    const [user, revoked] = await Promise.all([
      this.deps.authUsers.facts(userId),
      this.deps.revocations.isRevoked(userId, outcome.token.issuedAtMs),
    ]);
    if (!user) throw new AppError(CommonErrors.INVALID_TOKEN);
    // A banned user's clients show the reason (box-im's answer), whatever the token.
    if (user.banned) throw new AppError(AuthErrors.USER_BANNED, { reason: user.reason });
    if (revoked || !samePassword(user.passwordVersion, outcome.token))
      throw new AppError(CommonErrors.INVALID_TOKEN);
    return outcome.token.session;
  }

  /**
   * Not revoked: by the revocation marker (password change, ban, deletion; box-im's tokens,
   * which carry no issue time, by any marker) and ours also by the password fingerprint,
   * which outlives the marker.
   */
  private async stillValid(user: UserRow, token: VerifiedToken): Promise<boolean> {
    return (
      samePassword(TokenService.passwordVersion(user.password), token) &&
      !(await this.deps.revocations.isRevoked(user.id, token.issuedAtMs))
    );
  }
}

/** The token was issued under the user's current password (box-im's tokens carry no fingerprint). */
function samePassword(passwordVersion: string, token: VerifiedToken): boolean {
  return token.passwordVersion === undefined || token.passwordVersion === passwordVersion;
}

/** box-im's web client sends `encodeURIComponent(token)`, a no-op for JWT characters. */
function decodeURIComponentSafe(value: string): string {
  // Nothing to decode without an escape (every JWT): decoding a token costs ~1 µs per request.
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
