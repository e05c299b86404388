import { randomBytes } from 'node:crypto';
import type { LoginVO } from '@box-im/im-common';
import type { ApiClient } from './api-client';

/** A registered user, logged in on one terminal. */
export interface TestUser {
  id: number;
  userName: string;
  nickName: string;
  password: string;
  tokens: LoginVO;
  /** The API as this user. */
  api: ApiClient;
  /** Log the same account in on another terminal (0 web, 1 app, 2 pc). */
  onTerminal(terminal: number): Promise<TestUser>;
}

export interface AccountInput {
  userName: string;
  /** @default the user name */
  nickName?: string;
  /** @default 'secret123' */
  password?: string;
  /** @default 0 (web) */
  terminal?: number;
}

export interface UserFactory<U extends TestUser> {
  /** Register a new user (unique name from `prefix`) and log it in on `terminal`. */
  newUser(prefix?: string, terminal?: number): Promise<U>;
  /** Register exactly this account and log it in. */
  account(input: AccountInput): Promise<U>;
  /** Make two users friends (a adds b). */
  befriend(a: TestUser, b: TestUser): Promise<void>;
}

let counter = 0;

/**
 * Users made through the API, as a client would make them. `extend` adds what a tier offers
 * on top (the socket tier: a logged-in WebSocket).
 */
export function userFactory<U extends TestUser>(
  anon: ApiClient,
  extend: (user: TestUser) => U,
): UserFactory<U> {
  async function signIn(account: Required<AccountInput>, knownId?: number): Promise<U> {
    const { userName, password, terminal } = account;
    const login = await anon.post<LoginVO>('/login', { terminal, userName, password });
    if (login.code !== 200 || !login.data) throw new Error(`login failed: ${login.message}`);
    const api = anon.as(login.data.accessToken);
    const id = knownId ?? (await api.get<{ id: number }>('/user/self')).data!.id;
    return extend({
      id,
      userName,
      nickName: account.nickName,
      password,
      tokens: login.data,
      api,
      onTerminal: (t) => signIn({ ...account, terminal: t }, id),
    });
  }
  async function account(input: AccountInput): Promise<U> {
    const full = { nickName: input.userName, password: 'secret123', terminal: 0, ...input };
    const { userName, nickName, password } = full;
    const reg = await anon.post('/register', { userName, password, confirmPassword: password, nickName });
    if (reg.code !== 200) throw new Error(`register failed: ${reg.message}`);
    return signIn(full);
  }
  return {
    account,
    newUser: (prefix = 'u', terminal = 0) =>
      account({ userName: `${prefix}${++counter}${randomBytes(2).toString('hex')}`.slice(0, 20), terminal }),
    /** Instant add; with FRIEND_REQUEST=on and `b` adding by request: a request `b` accepts. */
    async befriend(a, b) {
      const res = await a.api.post(`/friend/add?friendId=${b.id}`);
      if (res.code === 200) return;
      if (res.headers.get('x-error-key') === 'REQUEST_NEEDED') {
        const sent = await a.api.post<{ id: number }>('/friend/request', { friendId: b.id });
        const accepted = sent.data ? await b.api.post(`/friend/request/accept/${sent.data.id}`) : sent;
        if (accepted.code === 200) return;
        throw new Error(`friend request failed: ${accepted.message}`);
      }
      throw new Error(`friend add failed: ${res.message}`);
    },
  };
}
