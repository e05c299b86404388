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

/** How long the index of running calls lives untouched (every sweep and call start renews it). */
const INDEX_TTL_MS = 24 * 3600 * 1000;

/**
 * Group call sessions on the bus, one key per group, changed under a per-group lock; and the
 * index of groups with a call, shared by every platform node (changed under its own lock).
 */
export class GroupCallStore {
  constructor(private readonly bus: Bus) {}

  /** Groups whose call may still run (entries outlive their call until a sweep prunes them). */
  async indexed(): Promise<number[]> {
    const text = await this.bus.get(PlatformKey.webrtcGroupIndex);
    try {
      const ids = text ? (JSON.parse(text) as unknown) : [];
      return Array.isArray(ids) ? ids.filter((id): id is number => Number.isInteger(id)) : [];
    } catch {
      return [];
    }
  }

  /** Add (`true`) or remove groups from the index of running calls. */
  async index(groupIds: readonly number[], present: boolean): Promise<void> {
    if (groupIds.length === 0) return;
    await this.lockOf('webrtc:group:index', 15_000).runExclusive(
      async () => {
        const ids = new Set(await this.indexed());
        for (const id of groupIds) {
          if (present) ids.add(id);
          else ids.delete(id);
        }
        await this.bus.set(PlatformKey.webrtcGroupIndex, JSON.stringify([...ids]), { ttlMs: INDEX_TTL_MS });
      },
      { waitMs: 5000, onBusy: () => busy() },
    );
  }

  /** Run `fn` unless another node is sweeping now (then skip: that node covers every call). */
  sweeping(fn: () => Promise<void>): Promise<void> {
    return this.lockOf('webrtc:group:sweep', 60_000).runExclusive(fn, { waitMs: 0, onBusy: () => undefined });
  }

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

  /** The call ended: its session and its index entry go. */
  async remove(groupId: number): Promise<void> {
    await this.bus.del(PlatformKey.webrtcGroupSession(groupId));
    await this.index([groupId], false);
  }

  /** Run `fn` alone among every platform node for this group's call. */
  exclusive<T>(groupId: number, fn: () => Promise<T>): Promise<T> {
    return this.lockOf(`webrtc:group:${groupId}`, 15_000).runExclusive(fn, { waitMs: 5000, onBusy: busy });
  }

  private lockOf(name: string, ttlMs: number): BusLock {
    return new BusLock(this.bus, PlatformKey.lock(name), ttlMs);
  }
}

function busy(): never {
  throw new AppError(GroupErrors.BUSY);
}
