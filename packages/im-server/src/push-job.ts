import {
  Cmd,
  MessageType,
  type IMCompactRecvInfo,
  type IMRecvInfo,
  type IMUserInfo,
} from '@box-im/im-common';

function isUserInfo(value: unknown): value is IMUserInfo {
  if (typeof value !== 'object' || value === null) return false;
  const { id, terminal } = value as Record<string, unknown>;
  return typeof id === 'number' && typeof terminal === 'number';
}

function isPairs(value: unknown[]): value is number[] {
  if (value.length % 2 !== 0) return false;
  for (const v of value) if (typeof v !== 'number') return false;
  return true;
}

/**
 * A job as this node works on it, from box-im's `IMRecvInfo` or our `IMCompactRecvInfo`:
 * the receivers as flat (id, terminal) pairs, so that neither form costs an object per receiver.
 */
export interface Job {
  cmd: number;
  sender: IMUserInfo | undefined;
  pairs: number[];
  sendResult: boolean;
  serviceName: string | undefined;
  data: unknown;
}

/** The job in a queue item of either form; undefined when malformed. */
export function readJob(value: object): Job | undefined {
  const v = value as Partial<Record<keyof IMRecvInfo | keyof IMCompactRecvInfo, unknown>>;
  if (typeof v.cmd !== 'number') return undefined;
  if (!(v.sender === undefined || v.sender === null || isUserInfo(v.sender))) return undefined;
  let pairs: number[];
  if (Array.isArray(v.recvPairs)) {
    if (!isPairs(v.recvPairs)) return undefined;
    pairs = v.recvPairs;
  } else if (Array.isArray(v.receivers) && v.receivers.every(isUserInfo)) {
    pairs = new Array<number>(v.receivers.length * 2);
    v.receivers.forEach((r, i) => {
      pairs[2 * i] = r.id;
      pairs[2 * i + 1] = r.terminal;
    });
  } else return undefined;
  return {
    cmd: v.cmd,
    sender: v.sender ?? undefined,
    pairs,
    sendResult: Boolean(v.sendResult),
    serviceName: typeof v.serviceName === 'string' && v.serviceName !== '' ? v.serviceName : undefined,
    data: v.data,
  };
}

/** The job in box-im's form with `receivers` (for forwarding to another node). */
export function toRecvInfo(job: Job, receivers: IMUserInfo[]): IMRecvInfo {
  return {
    cmd: job.cmd,
    ...(job.sender ? { sender: job.sender } : {}),
    receivers,
    sendResult: job.sendResult,
    ...(job.serviceName ? { serviceName: job.serviceName } : {}),
    data: job.data,
  };
}

/** A USER_BANNED system message: the one payload the node looks into (it ends the session). */
export function isBanNotice(job: Job): boolean {
  const data = job.data as { type?: unknown } | null | undefined;
  return job.cmd === Cmd.SYSTEM_MESSAGE && data?.type === MessageType.USER_BANNED;
}
