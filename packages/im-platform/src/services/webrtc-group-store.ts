import { BusLock, type Bus } from '@box-im/im-bus';
import type { WebrtcUserInfo } from '@box-im/im-common';
import { PlatformKey } from '../bus-keys';
import { AppError, GroupErrors } from '../errors';

/** A user in a group call, or invited to it. */
export interface GroupCallUser extends WebrtcUserInfo {
  /** In the call (accepted or joined); false while only invited. */
  joined: boolean;
  /** The terminal the user is in the call from (signalling goes there only). */
  terminal?: number;
  /** Epoch ms (platform clock) of the user's last sign of life. */
  beat: number;
}

/** A call running in a group, shared by every platform node. */
export interface GroupCallSession {
  groupId: number;
  hostId: number;
  /** Epoch ms the call was set up. */
  startTime: number;
  users: GroupCallUser[];
}

/**
 * Seconds a participant stays in a call without a heartbeat (clients beat every 15 s; box-im
 * keeps a private session 60 s). Past that, the next look at the call drops them.
 */
export const GROUP_CALL_TTL_SECONDS = 60;
/** Backstop: the bus drops a session nobody touched for this long, even if no sweep ran. */
const KEY_TTL_MS = GROUP_CALL_TTL_SECONDS * 5 * 1000;

/** Group call sessions on the bus, one key per group, changed under a per-group lock. */
export class GroupCallStore {
  constructor(private readonly bus: Bus) {}

  async get(groupId: number): Promise<GroupCallSession | null> {
    const text = await this.bus.get(PlatformKey.webrtcGroupSession(groupId));
    if (!text) return null;
    try {
      return JSON.parse(text) as GroupCallSession;
    } catch {
      return null;
    }
  }

  async save(session: GroupCallSession): Promise<void> {
    await this.bus.set(PlatformKey.webrtcGroupSession(session.groupId), JSON.stringify(session), {
      ttlMs: KEY_TTL_MS,
    });
  }

  async remove(groupId: number): Promise<void> {
    await this.bus.del(PlatformKey.webrtcGroupSession(groupId));
  }

  /** Run `fn` alone among every platform node for this group's call. */
  exclusive<T>(groupId: number, fn: () => Promise<T>): Promise<T> {
    return new BusLock(this.bus, PlatformKey.lock(`webrtc:group:${groupId}`), 15_000).runExclusive(fn, {
      waitMs: 5000,
      onBusy: () => {
        throw new AppError(GroupErrors.BUSY);
      },
    });
  }
}
