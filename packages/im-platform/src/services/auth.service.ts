import type { IMClient } from '@box-im/im-client';
import { isTerminal, type UserSession } from '@box-im/im-common';
import type { UserRow } from '../db';
import { AppError, AuthErrors, CommonErrors } from '../errors';
import type { UserRepository } from '../repositories/user.repository';
import { hashPassword, needsRehash, verifyPassword } from '../security/passwords';
import { TokenService, type TokenPair, type VerifiedToken } from '../security/tokens';
import type { SensitiveWordFilter } from './sensitive-words';

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

/** Accounts: register, login, token refresh, password change, and request authentication. */
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly words: SensitiveWordFilter,
    private readonly im: IMClient,
  ) {}

  async register(input: RegisterInput): Promise<void> {
    const userName = input.userName.trim();
    const nickName = (input.nickName ?? '').trim() || userName;
    if (this.words.contains(userName)) throw new AppError(AuthErrors.USERNAME_SENSITIVE);
    if (this.words.contains(nickName)) throw new AppError(AuthErrors.NICKNAME_SENSITIVE);
    if (await this.users.findByUserName(userName)) throw new AppError(AuthErrors.USERNAME_ALREADY_REGISTER);
    const id = await this.users.insert({
      user_name: userName,
      nick_name: nickName,
      password: await hashPassword(input.password),
      created_time: new Date(),
    });
    // Lost a race with a concurrent registration of the same name.
    if (id === null) throw new AppError(AuthErrors.USERNAME_ALREADY_REGISTER);
  }

  async login(input: LoginInput): Promise<TokenPair> {
    const user = await this.users.findByUserName(input.userName);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    if (user.is_banned) throw new AppError(AuthErrors.USER_BANNED, { reason: user.reason });
    if (!(await verifyPassword(input.password, user.password))) throw new AppError(AuthErrors.PASSWORD_ERROR);
    let passwordHash = user.password;
    if (needsRehash(passwordHash)) {
      passwordHash = await hashPassword(input.password);
      await this.users.updatePassword(user.id, passwordHash);
    }
    await this.users.touchLogin(user.id, new Date());
    const session: UserSession = {
      nickName: user.nick_name,
      terminal: input.terminal,
      userId: user.id,
      userName: user.user_name,
    };
    return this.tokens.issue(JSON.stringify(session), user.id, TokenService.passwordVersion(passwordHash));
  }

  /** New token pair for a valid refresh token; the `info` claim is carried over unchanged. */
  async refresh(refreshToken: string | undefined): Promise<TokenPair> {
    if (!refreshToken) throw new AppError(AuthErrors.REFRESH_EXPIRED);
    const outcome = await this.tokens.verifyRefresh(refreshToken);
    if (!outcome.ok) throw new AppError(AuthErrors.REFRESH_EXPIRED);
    const user = await this.users.findById(outcome.token.session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    if (user.is_banned) throw new AppError(AuthErrors.USER_BANNED, { reason: user.reason });
    if (!(await this.stillValid(user, outcome.token))) throw new AppError(AuthErrors.REFRESH_EXPIRED);
    return this.tokens.issue(outcome.token.info, user.id, TokenService.passwordVersion(user.password));
  }

  async modifyPassword(session: UserSession, oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    if (!(await verifyPassword(oldPassword, user.password)))
      throw new AppError(AuthErrors.OLD_PASSWORD_ERROR);
    // A new hash changes the password fingerprint, which revokes every older token here; the
    // marker revokes them on the push nodes, whose open connections are closed too (their
    // clients return to the login page).
    await this.users.updatePassword(user.id, await hashPassword(newPassword));
    await this.revokeTokens(user.id);
    await this.im.forceLogout(user.id);
  }

  /**
   * Revoke every token of the user issued until now, where the database cannot tell: on the
   * push nodes (login refused, connections closed on a force-logout or a ban notice) and for
   * box-im's tokens here. Called on password change, ban and deletion.
   */
  async revokeTokens(userId: number): Promise<void> {
    await this.im.revokeTokens(userId, Date.now(), this.tokens.maxLifetimeSeconds * 1000);
  }

  /**
   * The session of a request's access token. Missing → 400, undecodable, expired, revoked
   * by a password change or of a deleted user → 401; banned → the ban message.
   */
  async authenticate(accessToken: string | undefined): Promise<UserSession> {
    if (!accessToken) throw new AppError(CommonErrors.NO_LOGIN);
    const outcome = await this.tokens.verifyAccess(decodeURIComponentSafe(accessToken));
    if (!outcome.ok || !isTerminal(outcome.token.session.terminal))
      throw new AppError(CommonErrors.INVALID_TOKEN);
    const user = await this.users.findById(outcome.token.session.userId);
    if (!user || !(await this.stillValid(user, outcome.token)))
      throw new AppError(CommonErrors.INVALID_TOKEN);
    if (user.is_banned) throw new AppError(AuthErrors.USER_BANNED, { reason: user.reason });
    return outcome.token.session;
  }

  /**
   * Not revoked: ours by the password fingerprint; box-im's, which carry none, by the
   * revocation marker (any marker revokes them: they have no issue time either).
   */
  private async stillValid(user: UserRow, token: VerifiedToken): Promise<boolean> {
    if (token.passwordVersion !== undefined)
      return token.passwordVersion === TokenService.passwordVersion(user.password);
    return !(await this.im.isTokenRevoked(user.id, token.issuedAtMs));
  }
}

/** box-im's web client sends `encodeURIComponent(token)`, a no-op for JWT characters. */
function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
