import type { UserSession, UserVO, OnlineTerminalVO } from '@box-im/im-common';
import type { UserRow } from '../db';
import { AppError, AuthErrors } from '../errors';
import type { ServiceDeps } from './deps';
import { checkImageUrl } from './image-url';
import { checkNickName } from './names';

export interface ProfileInput {
  id: number;
  nickName: string;
  sex?: number | undefined;
  signature?: string | undefined;
  headImage?: string | undefined;
  headImageThumb?: string | undefined;
  /** Who may add me (0 anyone, 1 by request, 2 nobody; used with FRIEND_REQUEST=on). */
  addPolicy?: number | undefined;
}

export function toUserVO(row: UserRow, online: boolean | null): UserVO {
  return {
    id: row.id,
    userName: row.user_name,
    nickName: row.nick_name,
    sex: row.sex,
    type: row.type,
    signature: row.signature ?? '',
    headImage: row.head_image ?? '',
    headImageThumb: row.head_image_thumb ?? '',
    online,
    isBanned: Boolean(row.is_banned),
    reason: row.reason ?? '',
    addPolicy: row.add_policy ?? 1,
  };
}

const SEARCH_LIMIT = 20;

/** Profiles and presence. */
/** `friends` hold copies of the profile (nickname, thumbnail) that follow its changes. */
export type UserServiceDeps = Pick<ServiceDeps, 'users' | 'friends' | 'im' | 'words'>;

export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  async self(session: UserSession): Promise<UserVO> {
    const user = await this.deps.users.findById(session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    return toUserVO(user, null);
  }

  async find(_session: UserSession, id: number): Promise<UserVO> {
    const user = await this.deps.users.findById(id);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    return toUserVO(user, await this.deps.im.isOnline(id));
  }

  async findByName(_session: UserSession, name: string): Promise<UserVO[]> {
    const text = name.trim();
    if (!text) return [];
    const rows = await this.deps.users.search(text, SEARCH_LIMIT);
    const online = await this.deps.im.getOnlineTerminals(rows.map((r) => r.id));
    return rows.map((r) => toUserVO(r, online.has(r.id)));
  }

  async update(session: UserSession, input: ProfileInput): Promise<void> {
    if (input.id !== session.userId) throw new AppError(AuthErrors.MODIFY_OTHER_USER);
    const nickName = checkNickName(input.nickName);
    if (this.deps.words.contains(nickName)) throw new AppError(AuthErrors.NICKNAME_SENSITIVE);
    const user = await this.deps.users.findById(session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    checkImageUrl(input.headImage, 'headImage', user.head_image);
    checkImageUrl(input.headImageThumb, 'headImageThumb', user.head_image_thumb);
    // Fields the client leaves out keep their value (box-im skips nulls the same way).
    const headImageThumb = input.headImageThumb ?? user.head_image_thumb;
    await this.deps.users.updateProfile(user.id, {
      nick_name: nickName,
      sex: input.sex ?? user.sex,
      signature: input.signature ?? user.signature,
      head_image: input.headImage ?? user.head_image,
      head_image_thumb: headImageThumb,
    });
    if (input.addPolicy !== undefined && input.addPolicy !== user.add_policy) {
      await this.deps.users.setAddPolicy(user.id, input.addPolicy);
    }
    // Friends' lists and group member lists show copies of the nickname and thumbnail.
    if (nickName !== user.nick_name || headImageThumb !== user.head_image_thumb) {
      await this.deps.friends.propagateProfile(user.id, nickName, headImageThumb);
    }
  }

  /** Online terminals of the given users; only online users are listed. */
  async onlineTerminals(_session: UserSession, userIdsText: string): Promise<OnlineTerminalVO[]> {
    const parts = userIdsText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ids = parts.map(Number);
    if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
      throw new AppError(AuthErrors.BAD_USER_IDS, { value: userIdsText.slice(0, 64) });
    }
    const online = await this.deps.im.getOnlineTerminals([...new Set(ids)]);
    return [...online].map(([userId, terminals]) => ({ userId, terminals }));
  }
}
