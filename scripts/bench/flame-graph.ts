/**
 * `tsx scripts/bench/flame-graph.ts FILE.cpuprofile OUT.svg [--title=TEXT] [--min=0.3]`: a flame
 * graph of a V8 CPU profile (from `--cpu-prof`) as a standalone SVG, for docs/profiles/.
 *
 * Each box is a function on the stack; its width is the time spent in it and in what it called
 * (idle time left out), callers below their callees. Siblings are merged by label and sorted by
 * name, so two graphs of the same code line up. Boxes narrower than `--min` percent of the busy
 * time are left out (their time stays in their caller's width). Colour says where the code
 * lives: ours (orange), a dependency (blue), Node itself (green), V8's own frames such as the
 * garbage collector (grey). Hovering a box shows its full label and times.
 */
import { writeFileSync } from 'node:fs';
import { callTree, readProfile, type CallNode } from './cpuprofile';

const WIDTH = 1200;
const ROW = 17;
const HEADER = 44;
const CHAR_WIDTH = 6.4;

const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const option = (name: string, fallback: string): string =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const [input, output] = positional;
if (!input || !output)
  throw new Error('usage: flame-graph.ts FILE.cpuprofile OUT.svg [--title=TEXT] [--min=0.3]');
const title = option('title', input.replace(/^.*\//, ''));
const minShare = Number(option('min', '0.3')) / 100;

const HUES: Record<CallNode['origin'], [number, number]> = {
  ours: [25, 85],
  dependency: [210, 60],
  node: [120, 45],
  v8: [0, 0],
};

function colour(node: CallNode): string {
  const [hue, saturation] = HUES[node.origin];
  let hash = 0;
  for (const ch of node.label) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hue + (hash % 20) - 10}, ${saturation}%, ${62 + (hash % 16)}%)`;
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

const ms = (us: number): string => `${(us / 1000).toFixed(us < 10_000 ? 1 : 0)} ms`;

interface Box {
  node: CallNode;
  x: number;
  width: number;
  depth: number;
}

/** Boxes of the tree, depth first; each child placed after its left siblings within its parent. */
function layout(root: CallNode): { boxes: Box[]; depth: number } {
  const boxes: Box[] = [];
  const scale = WIDTH / root.total;
  let maxDepth = 0;
  const place = (node: CallNode, x: number, depth: number): void => {
    const width = node.total * scale;
    if (node.total < root.total * minShare) return;
    boxes.push({ node, x, width, depth });
    maxDepth = Math.max(maxDepth, depth);
    let childX = x;
    for (const child of node.children) {
      place(child, childX, depth + 1);
      childX += child.total * scale;
    }
  };
  place(root, 0, 0);
  return { boxes, depth: maxDepth + 1 };
}

function render(root: CallNode): string {
  const { boxes, depth } = layout(root);
  const height = HEADER + depth * ROW + 8;
  const busy = root.total;
  const rows = boxes.map(({ node, x, width, depth: d }) => {
    const y = height - 8 - (d + 1) * ROW;
    const share = ((100 * node.total) / busy).toFixed(1);
    const label = d === 0 ? `all busy time (${ms(busy)})` : node.label;
    const fits = Math.floor((width - 6) / CHAR_WIDTH);
    const text = fits < 3 ? '' : label.length <= fits ? label : `${label.slice(0, fits - 1)}…`;
    return (
      `<g><title>${escapeXml(label)}: ${ms(node.total)} (${share} %), self ${ms(node.self)}</title>` +
      `<rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(width - 0.5, 0.5).toFixed(2)}" height="${ROW - 1}" fill="${colour(node)}" rx="2"/>` +
      (text ? `<text x="${(x + 3).toFixed(2)}" y="${y + ROW - 5}">${escapeXml(text)}</text>` : '') +
      '</g>'
    );
  });
  const legend = (['ours', 'dependency', 'node', 'v8'] as const)
    .map((origin, i) => {
      const [hue, saturation] = HUES[origin];
      const x = 520 + i * 150;
      const name = { ours: 'our code', dependency: 'dependency', node: 'Node.js', v8: 'V8 (GC, program)' }[
        origin
      ];
      return `<rect x="${x}" y="26" width="12" height="12" fill="hsl(${hue}, ${saturation}%, 68%)"/><text x="${x + 16}" y="36">${name}</text>`;
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdfd"/>`,
    `<text x="4" y="16" font-size="14">${escapeXml(title)}</text>`,
    `<text x="4" y="36">busy ${ms(busy)}; width = time incl. callees; boxes &lt; ${(minShare * 100).toFixed(1)} % left out</text>`,
    legend,
    ...rows,
    '</svg>',
  ].join('\n');
}

writeFileSync(output, render(callTree(readProfile(input))));
process.stdout.write(`${output}: flame graph of ${input}\n`);
