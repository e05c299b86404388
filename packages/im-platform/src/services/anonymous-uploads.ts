import type { Bus } from '@box-im/im-bus';
import type { UserSession } from '@box-im/im-common';
import type { Logger } from 'pino';
import { PlatformKey } from '../bus-keys';
import { AppError, CommonErrors, FileErrors } from '../errors';
import type { AnonymousUploadRepository } from '../repositories/anonymous-upload.repository';
import type { ServiceDeps } from './deps';

/** Who makes an upload: a logged-in user, or (`userId` null) an anonymous caller. */
export interface Uploader {
  userId: number | null;
  ip: string;
}

interface AnonymousUploadSettings {
  /** ANONYMOUS_UPLOADS. */
  enabled: boolean;
  /** Uploads and bytes per IP per hour. */
  maxCount: number;
  maxBytes: number;
  /** Seconds within which a message or profile must refer to an upload. */
  claimSeconds: number;
}

const WINDOW_MS = 3600_000;

/**
 * Who may upload without a token. box-im left uploads open, and its mobile app still sends
 * images and files without its token. Uploads need a login unless ANONYMOUS_UPLOADS=on;
 * then anonymous ones are counted per IP on the bus (shared by every platform process with
 * Redis), within ANONYMOUS_UPLOAD_MAX_COUNT uploads and ANONYMOUS_UPLOAD_MAX_BYTES bytes an
 * hour, and each is tracked until a message or profile refers to it (see FileCleanupService).
 * Every refusal is logged at warn level, so an operator sees a client that needs the setting.
 */
export type AnonymousUploadsDeps = Pick<ServiceDeps, 'config' | 'bus' | 'anonymousUploads' | 'log'>;

export class AnonymousUploads {
  private readonly settings: AnonymousUploadSettings;
  private readonly bus: Bus;
  private readonly repo: AnonymousUploadRepository;
  private readonly log: Logger;

  constructor(deps: AnonymousUploadsDeps) {
    const { config } = deps;
    this.settings = {
      enabled: config.ANONYMOUS_UPLOADS,
      maxCount: config.ANONYMOUS_UPLOAD_MAX_COUNT,
      maxBytes: config.ANONYMOUS_UPLOAD_MAX_BYTES,
      claimSeconds: config.ANONYMOUS_UPLOAD_CLAIM_SECONDS,
    };
    this.bus = deps.bus;
    this.repo = deps.anonymousUploads;
    this.log = deps.log.child({ mod: 'file' });
  }

  /** Before the body is read: the caller, or a refusal (no login, or over the IP's limits). */
  async admit(session: UserSession | null, ip: string, route: string): Promise<Uploader> {
    if (session) return { userId: session.userId, ip };
    if (!this.settings.enabled) {
      this.log.warn(
        { ip, route },
        'upload without a token refused (box-im mobile app? set ANONYMOUS_UPLOADS=on or add its token header)',
      );
      throw new AppError(CommonErrors.NO_LOGIN);
    }
    const count = await this.add(ip, 'count', 1);
    const bytes = Number((await this.bus.get(PlatformKey.anonymousUpload(ip, 'bytes'))) ?? 0);
    if (count > this.settings.maxCount || bytes >= this.settings.maxBytes)
      this.refuse(ip, route, count, bytes);
    return { userId: null, ip };
  }

  /** Once the body is in, before anything is stored: count its bytes against the IP's limit. */
  async countBytes(uploader: Uploader, size: number, route: string): Promise<void> {
    if (uploader.userId !== null) return;
    const bytes = await this.add(uploader.ip, 'bytes', size);
    if (bytes > this.settings.maxBytes) this.refuse(uploader.ip, route, undefined, bytes);
  }

  /** A stored anonymous upload: deleted after the claim time unless something refers to it. */
  async track(uploader: Uploader, fileId: number, now: Date): Promise<void> {
    if (uploader.userId !== null) return;
    const marks = await this.repo.messageMarks();
    await this.repo.insert({
      fileId,
      ip: uploader.ip,
      ...marks,
      expireTime: new Date(now.getTime() + this.settings.claimSeconds * 1000),
    });
  }

  private refuse(ip: string, route: string, count: number | undefined, bytes: number): never {
    this.log.warn(
      { ip, route, count, bytes, maxCount: this.settings.maxCount, maxBytes: this.settings.maxBytes },
      'anonymous upload refused: over the per-IP hourly limit',
    );
    throw new AppError(FileErrors.ANONYMOUS_UPLOAD_LIMIT);
  }

  /** Add to an hourly per-IP counter (created with its time to live, so it always ends). */
  private async add(ip: string, what: 'count' | 'bytes', by: number): Promise<number> {
    const key = PlatformKey.anonymousUpload(ip, what);
    await this.bus.set(key, '0', { ttlMs: WINDOW_MS, onlyIfAbsent: true });
    const value = await this.bus.incr(key, by);
    // Expired between the two calls: INCR made a key without a time to live.
    if (value === by) await this.bus.expire(key, WINDOW_MS);
    return value;
  }
}
