import type { Bus } from '@box-im/im-bus';
import { PlatformKey } from '../bus-keys';

/** A private call between a caller and an acceptor, shared by every platform node. */
export interface CallSession {
  callerId: number;
  callerTerminal: number;
  acceptorId: number;
  /** Set when the acceptor answers from one of its terminals. */
  acceptorTerminal?: number;
  mode: 'video' | 'voice';
  /** Epoch ms when the call was answered. */
  chatTimeStamp?: number;
}

/** Seconds a call session lives without a heartbeat (box-im: 60). */
export const SESSION_TTL_SECONDS = 60;
/** Seconds a user stays "busy" without a heartbeat (box-im: 30). */
export const BUSY_TTL_SECONDS = 30;

/** Call sessions and busy flags on the bus, under box-im's key names. */
export class CallStore {
  constructor(private readonly bus: Bus) {}

  async get(a: number, b: number): Promise<CallSession | null> {
    const text = await this.bus.get(PlatformKey.webrtcPrivateSession(a, b));
    if (!text) return null;
    try {
      return JSON.parse(text) as CallSession;
    } catch {
      return null;
    }
  }

  async save(session: CallSession): Promise<void> {
    await this.bus.set(
      PlatformKey.webrtcPrivateSession(session.callerId, session.acceptorId),
      JSON.stringify(session),
      {
        ttlMs: SESSION_TTL_SECONDS * 1000,
      },
    );
  }

  async remove(a: number, b: number): Promise<void> {
    await this.bus.del(PlatformKey.webrtcPrivateSession(a, b));
  }

  async keepAlive(a: number, b: number, me: number): Promise<boolean> {
    const alive = await this.bus.expire(PlatformKey.webrtcPrivateSession(a, b), SESSION_TTL_SECONDS * 1000);
    if (alive) await this.bus.expire(PlatformKey.userState(me), BUSY_TTL_SECONDS * 1000);
    return alive;
  }

  async isBusy(userId: number): Promise<boolean> {
    return (await this.bus.get(PlatformKey.userState(userId))) !== null;
  }

  async setBusy(...userIds: number[]): Promise<void> {
    await Promise.all(
      userIds.map((id) => this.bus.set(PlatformKey.userState(id), '1', { ttlMs: BUSY_TTL_SECONDS * 1000 })),
    );
  }

  async setFree(...userIds: number[]): Promise<void> {
    await Promise.all(userIds.map((id) => this.bus.del(PlatformKey.userState(id))));
  }
}
