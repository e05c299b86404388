/**
 * Users of the nginx test and their traffic, all through the proxy's address: accounts in
 * blocks of 50 (the block's owner is friends with the 49 others and owns a group of all 50),
 * one WebSocket each (with heartbeats, as real clients), rounds of private and group sends,
 * and the check that every accepted send reached each of its receivers exactly once — live,
 * or live plus the offline pull after a fault.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ApiClient, TestSocket, type Frame } from '../../testing';

export interface User {
  id: number;
  api: ApiClient;
  token: string;
  /** Every socket the user opened (the last one is current); frames of all count. */
  sockets: TestSocket[];
}

interface Group {
  id: number;
  members: User[];
}

interface Sent {
  kind: 'private' | 'group';
  id: number;
  content: string;
  receivers: User[];
}

export interface Round {
  tag: string;
  ok: Sent[];
  failures: string[];
  failed: number;
}

const BLOCK = 50;
const PASSWORD = 'secret-1';

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

interface Msg {
  id: number;
  content: string;
  sendId: number;
  recvId?: number;
}

export class Traffic {
  readonly users: User[] = [];
  private readonly groups: Group[] = [];
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly base: string) {}

  async setUp(count: number): Promise<void> {
    const suffix = randomBytes(3).toString('hex');
    const anon = new ApiClient(this.base);
    const accounts = Array.from({ length: count }, (_, i) => i);
    const made: User[] = new Array<User>(count);
    await inBatches(accounts, 16, async (i) => {
      const userName = `n${suffix}u${i}`;
      expect((await anon.post('/register', { userName, password: PASSWORD, nickName: userName })).code).toBe(
        200,
      );
      const login = await anon.post<{ accessToken: string }>('/login', {
        terminal: 0,
        userName,
        password: PASSWORD,
      });
      const token = login.data!.accessToken;
      const api = new ApiClient(this.base, token);
      const self = await api.get<{ id: number }>('/user/self');
      made[i] = { id: self.data!.id, api, token, sockets: [] };
    });
    this.users.push(...made);
    for (let b = 0; b < count; b += BLOCK) {
      const members = this.users.slice(b, b + BLOCK);
      const owner = members[0]!;
      await inBatches(members.slice(1), 8, async (m) => {
        expect((await owner.api.post(`/friend/add?friendId=${m.id}`)).code).toBe(200);
      });
      const group = await owner.api.post<{ id: number }>('/group/create', { name: `g${b}` });
      const id = group.data!.id;
      const invite = await owner.api.post('/group/invite', {
        groupId: id,
        friendIds: members.slice(1).map((m) => m.id),
      });
      expect(invite.code).toBe(200);
      this.groups.push({ id, members });
    }
    await inBatches(this.users, 16, async (u) => {
      u.sockets.push(await TestSocket.login(this.base, u.token));
    });
    this.heartbeat = setInterval(() => {
      for (const u of this.users) {
        const s = u.sockets.at(-1);
        if (s && s.ws.readyState === s.ws.OPEN) s.send({ cmd: 1, data: {} });
      }
    }, 2000);
  }

  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const u of this.users) for (const s of u.sockets) s.close();
  }

  privateBody(to: User, content: string) {
    return { tmpId: randomBytes(4).toString('hex'), recvId: to.id, content, type: 0 };
  }

  /**
   * One round: every member writes to its block's owner, each owner to every 4th member, and
   * two messages in every group. Failures are kept as what the client was told.
   */
  async sendRound(tag: string, options: { concurrency?: number } = {}): Promise<Round> {
    const tasks: (() => Promise<Sent | string>)[] = [];
    for (const { id: groupId, members } of this.groups) {
      const owner = members[0]!;
      members.slice(1).forEach((m, i) => {
        tasks.push(() =>
          this.send('private', m, '/message/private/send', this.privateBody(owner, ''), [owner], tag),
        );
        if (i % 4 === 0)
          tasks.push(() =>
            this.send('private', owner, '/message/private/send', this.privateBody(m, ''), [m], tag),
          );
      });
      for (const sender of [owner, members[1]!]) {
        const receivers = members.filter((m) => m !== sender);
        tasks.push(() =>
          this.send(
            'group',
            sender,
            '/message/group/send',
            { tmpId: randomBytes(4).toString('hex'), groupId, content: '', type: 0 },
            receivers,
            tag,
          ),
        );
      }
    }
    const round: Round = { tag, ok: [], failures: [], failed: 0 };
    await inBatches(tasks, options.concurrency ?? 16, async (task) => {
      const outcome = await task();
      if (typeof outcome === 'string') {
        round.failures.push(outcome);
        round.failed++;
      } else round.ok.push(outcome);
    });
    return round;
  }

  private async send(
    kind: Sent['kind'],
    from: User,
    path: string,
    body: Record<string, unknown>,
    receivers: User[],
    tag: string,
  ): Promise<Sent | string> {
    const content = `${tag}:${randomBytes(6).toString('hex')}`;
    try {
      const res = await fetch(`${this.base}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accessToken: from.token },
        body: JSON.stringify({ ...body, content }),
      });
      if (res.status !== 200) return `HTTP ${res.status}`;
      const json = (await res.json()) as { code: number; message: string; data: { id: number } };
      if (json.code !== 200) return `code ${json.code}: ${json.message}`;
      return { kind, id: json.data.id, content, receivers };
    } catch (error) {
      return `HTTP request failed: ${String(error)}`;
    }
  }

  /** Sockets the server closed (their node died): open a new one through nginx, as clients do. */
  async reconnectDropped(): Promise<void> {
    const dropped = this.users.filter((u) => {
      const s = u.sockets.at(-1)!;
      return s.ws.readyState !== s.ws.OPEN;
    });
    await inBatches(dropped, 16, async (u) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          u.sockets.push(await TestSocket.login(this.base, u.token));
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
  }

  /**
   * Every accepted send of the round reached each receiver exactly once: as a live frame
   * (`live`), or else as a live frame or in the offline pull (what a client does after
   * reconnecting). Live frames are never duplicated.
   */
  async expectDelivered(round: Round, { live }: { live: boolean }): Promise<void> {
    const expected = new Map<User, Set<number>>();
    for (const sent of round.ok) {
      for (const r of sent.receivers) {
        const set = expected.get(r) ?? new Set<number>();
        set.add(sent.id);
        expected.set(r, set);
      }
    }
    const liveIds = (u: User) =>
      u.sockets.flatMap((s) =>
        s.frames
          .filter(
            (f: Frame) =>
              (f.cmd === 3 || f.cmd === 4) && (f.data as Msg).content?.startsWith(`${round.tag}:`),
          )
          .map((f) => (f.data as Msg).id),
      );
    const complete = () => [...expected].every(([u, ids]) => new Set(liveIds(u)).size >= ids.size);
    const deadline = Date.now() + (live ? 20_000 : 2500);
    while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));

    const minId = (kind: Sent['kind']) =>
      Math.min(...round.ok.filter((s) => s.kind === kind).map((s) => s.id), Number.MAX_SAFE_INTEGER) - 1;
    const problems: string[] = [];
    await inBatches([...expected], 16, async ([u, ids]) => {
      const got = liveIds(u);
      if (new Set(got).size !== got.length) problems.push(`user ${u.id}: a live frame came twice`);
      const have = new Set(got);
      if (!live) {
        for (const kind of ['private', 'group'] as const) {
          const pulled = await u.api.get<Msg[]>(`/message/${kind}/loadOfflineMessage?minId=${minId(kind)}`);
          if (pulled.code !== 200)
            problems.push(`user ${u.id}: ${kind} pull answered ${pulled.code} ${pulled.message}`);
          for (const m of pulled.data ?? []) if (m.content.startsWith(`${round.tag}:`)) have.add(m.id);
        }
      }
      const lost = [...ids].filter((id) => !have.has(id));
      if (lost.length > 0) {
        const kinds = lost
          .map((id) => {
            const sent = round.ok.find((s) => s.id === id);
            const liveSomewhere = sent?.receivers.filter((r) => liveIds(r).includes(id)).length;
            return `${sent?.kind} live at ${liveSomewhere}/${sent?.receivers.length}`;
          })
          .join(',');
        problems.push(
          `user ${u.id}: ${lost.length} of ${ids.size} not delivered (${kinds}; ids ${lost.join(',')})`,
        );
      }
    });
    expect(problems.slice(0, 10)).toEqual([]);
  }
}
