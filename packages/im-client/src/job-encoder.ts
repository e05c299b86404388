import type { IMUserInfo } from '@box-im/im-common';

/** A receiver id or terminal as JSON (as `JSON.stringify` would write it: non-finite → null). */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

/**
 * The queue items (JSON text) of one push's jobs, one per push node: the fields every job of
 * the push shares — `data` above all — are encoded once, then each job adds its receivers,
 * in box-im's form (`IMRecvInfo.receivers`, objects) or our compact form
 * (`IMCompactRecvInfo.recvPairs`, flat id/terminal pairs) for nodes that take it.
 */
export class JobEncoder {
  /** The shared fields, encoded at the first job (a push may have none). */
  private head: string | undefined;

  constructor(
    private readonly cmd: number,
    private readonly sender: IMUserInfo | undefined,
    private readonly sendResult: boolean,
    private readonly serviceName: string | undefined,
    private readonly data: unknown,
  ) {}

  /** A job for the receivers `pairs` (flat id, terminal), in the compact form or box-im's. */
  encode(pairs: readonly number[], compact: boolean): string {
    this.head ??= this.encodeHead();
    if (compact) return `${this.head},"recvPairs":${JSON.stringify(pairs)}}`;
    let receivers = '';
    for (let i = 0; i < pairs.length; i += 2) {
      receivers += `${i === 0 ? '' : ','}{"id":${num(pairs[i]!)},"terminal":${num(pairs[i + 1]!)}}`;
    }
    return `${this.head},"receivers":[${receivers}]}`;
  }

  /** `{"cmd":…,"sender":…,"sendResult":…,"serviceName":…,"data":…` (undefined fields left out, as JSON.stringify does). */
  private encodeHead(): string {
    const { sender, serviceName, data } = this;
    return (
      `{"cmd":${num(this.cmd)}` +
      (sender ? `,"sender":${JSON.stringify({ id: sender.id, terminal: sender.terminal })}` : '') +
      `,"sendResult":${this.sendResult}` +
      (serviceName !== undefined ? `,"serviceName":${JSON.stringify(serviceName)}` : '') +
      (data !== undefined ? `,"data":${JSON.stringify(data)}` : '')
    );
  }
}
