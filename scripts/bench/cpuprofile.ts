/**
 * Reading V8 CPU profiles (`node --cpu-prof`): the call tree with the time of each node, and a
 * short label per frame (function, then the file relative to `packages/` or `node_modules/`).
 * Shared by profile-top.ts (a table of self time) and flame-graph.ts (an SVG).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface RawNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface RawProfile {
  nodes: RawNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One node of the call tree; times in microseconds of samples. */
export interface CallNode {
  label: string;
  /** Where the code lives: ours, a dependency, Node itself, or V8's own pseudo frames. */
  origin: 'ours' | 'dependency' | 'node' | 'v8';
  self: number;
  /** Self time plus every descendant's. */
  total: number;
  children: CallNode[];
}

/** V8's pseudo frames that are not work of the program. */
const IDLE = '(idle)';

function where(url: string): string {
  return url
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/packages\//, '')
    .replace(/^file:\/\//, '');
}

export function frameLabel(frame: CallFrame): string {
  const file = where(frame.url);
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

function originOf(frame: CallFrame): CallNode['origin'] {
  if (frame.url.includes('/node_modules/')) return 'dependency';
  if (frame.url.includes('/packages/') || frame.url.includes('/scripts/')) return 'ours';
  if (frame.url === '' && frame.functionName.startsWith('(')) return 'v8';
  return 'node';
}

export function readProfile(file: string): RawProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as RawProfile;
}

/** Self time per node id: each sample's time delta goes to the node it landed in. */
function selfTimes(profile: RawProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return self;
}

/**
 * The call tree without idle time, siblings with the same label merged (V8 keeps one node per
 * call site), children sorted by label so that graphs of two runs line up.
 */
export function callTree(profile: RawProfile): CallNode {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  const build = (raw: RawNode): CallNode => {
    const merged = new Map<string, CallNode>();
    for (const childId of raw.children ?? []) {
      const rawChild = byId.get(childId);
      if (!rawChild || rawChild.callFrame.functionName === IDLE) continue;
      const child = build(rawChild);
      const twin = merged.get(child.label);
      merged.set(child.label, twin ? mergeNodes(twin, child) : child);
    }
    const children = [...merged.values()].sort((a, b) => a.label.localeCompare(b.label));
    const own = self.get(raw.id) ?? 0;
    return {
      label: frameLabel(raw.callFrame),
      origin: originOf(raw.callFrame),
      self: own,
      total: own + children.reduce((sum, c) => sum + c.total, 0),
      children,
    };
  };
  const root = profile.nodes[0];
  if (!root) throw new Error('empty profile');
  return build(root);
}

function mergeNodes(a: CallNode, b: CallNode): CallNode {
  const byLabel = new Map(a.children.map((c) => [c.label, c]));
  for (const c of b.children) {
    const twin = byLabel.get(c.label);
    byLabel.set(c.label, twin ? mergeNodes(twin, c) : c);
  }
  return {
    ...a,
    self: a.self + b.self,
    total: a.total + b.total,
    children: [...byLabel.values()].sort((x, y) => x.label.localeCompare(y.label)),
  };
}

/** Self time per label over the whole profile, and the busy (non-idle) and sampled totals. */
export function selfByLabel(profile: RawProfile): { self: Map<string, number>; busy: number; total: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const dt = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    total += dt;
    if (frame.functionName === IDLE) {
      idle += dt;
      return;
    }
    const label = frameLabel(frame);
    self.set(label, (self.get(label) ?? 0) + dt);
  });
  return { self, busy: total - idle, total };
}
