// Draws the tab bar icons (48×48 PNG: a simple glyph per tab, grey and green) with no
// image library: run `node scripts/tab-icons.mjs` after changing a shape.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const S = 48;
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
function png(inside, [r, g, b]) {
  const rows = [];
  for (let y = 0; y < S; y++) {
    const row = Buffer.alloc(1 + S * 4);
    for (let x = 0; x < S; x++) if (inside(x + 0.5, y + 0.5)) row.set([r, g, b, 255], 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(S, 0);
  ihdr.writeUInt32BE(S, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const any =
  (...fs) =>
  (x, y) =>
    fs.some((f) => f(x, y));
const shapes = {
  // speech bubble
  chat: any(
    (x, y) => ((x - 24) / 19) ** 2 + ((y - 21) / 15) ** 2 <= 1,
    (x, y) => y >= 30 && y <= 42 && x >= 12 && x <= 22 && x - 12 <= (42 - y) * 0.9,
  ),
  // one person
  friend: any(
    circle(24, 15, 9),
    (x, y) => y >= 27 && y <= 44 && ((x - 24) / 17) ** 2 + ((y - 44) / 17) ** 2 <= 1,
  ),
  // two people
  group: any(
    circle(17, 16, 7),
    circle(32, 18, 6),
    (x, y) => y >= 26 && y <= 42 && ((x - 17) / 13) ** 2 + ((y - 42) / 15) ** 2 <= 1,
    (x, y) => y >= 27 && y <= 42 && ((x - 33) / 11) ** 2 + ((y - 42) / 13) ** 2 <= 1,
  ),
  // a ring with a dot
  mine: any(ring(24, 24, 19, 4), circle(24, 19, 6), rect(15, 29, 33, 33)),
};
const out = new URL('../src/static/tab/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, f] of Object.entries(shapes)) {
  writeFileSync(new URL(`${name}.png`, out), png(f, [0x7a, 0x7e, 0x83]));
  writeFileSync(new URL(`${name}-active.png`, out), png(f, [0x07, 0xc1, 0x60]));
}
