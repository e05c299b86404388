/** The peer connections of a group call, one per other joined participant. */
import type { GroupCall } from './group-call';
import type { RtcCandidate, RtcDescription, RtcPeer } from './media';

export class GroupCallMesh<S> {
  private readonly peers = new Map<number, RtcPeer>();
  private readonly pending = new Map<number, RtcCandidate[]>();

  constructor(private readonly call: GroupCall<S>) {}

  get(id: number): RtcPeer | undefined {
    return this.peers.get(id);
  }

  /** The connection with `id`, created on first use; `offer` sends an offer on creation. */
  async peer(id: number, offer: boolean): Promise<RtcPeer> {
    const known = this.peers.get(id);
    if (known) return known;
    const { deps } = this.call;
    const pc = deps.media.peer(deps.host.iceServers(), this.call.local, {
      onStream: (s) => {
        this.call.streams.set(id, s);
        deps.onStreams();
      },
      onCandidate: (c) => {
        void this.call.post('candidate', { userId: id, candidate: JSON.stringify(c) }).catch(() => undefined);
      },
    });
    this.peers.set(id, pc);
    if (offer) {
      const desc = await pc.offer();
      await this.call.post('offer', { userId: id, offer: JSON.stringify(desc) });
    }
    return pc;
  }

  /** Connect to every joined participant not yet connected; the smaller id offers. */
  async connectAll(): Promise<void> {
    const me = this.call.me();
    for (const u of this.call.state.users)
      if (u.joined && u.id !== me && !this.peers.has(u.id)) await this.peer(u.id, me < u.id);
  }

  async onOffer(from: number, desc: RtcDescription): Promise<void> {
    const pc = await this.peer(from, false);
    await pc.setRemote(desc);
    await this.flush(from);
    const answer = await pc.answer();
    await this.call.post('answer', { userId: from, answer: JSON.stringify(answer) });
  }

  async onAnswer(from: number, desc: RtcDescription): Promise<void> {
    const pc = this.peers.get(from);
    if (!pc) return;
    await pc.setRemote(desc);
    await this.flush(from);
  }

  async onCandidate(from: number, candidate: RtcCandidate): Promise<void> {
    const pc = this.peers.get(from);
    if (pc?.hasRemote()) await pc.addCandidate(candidate).catch(() => undefined);
    else this.pending.set(from, [...(this.pending.get(from) ?? []), candidate]);
  }

  drop(id: number): void {
    this.peers.get(id)?.close();
    this.peers.delete(id);
    this.pending.delete(id);
  }

  closeAll(): void {
    for (const pc of this.peers.values()) pc.close();
    this.peers.clear();
    this.pending.clear();
  }

  private async flush(id: number) {
    const pc = this.peers.get(id);
    for (const c of this.pending.get(id) ?? []) await pc?.addCandidate(c).catch(() => undefined);
    this.pending.delete(id);
  }
}
