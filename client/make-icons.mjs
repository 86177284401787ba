// Draws the app icons as PNG files with no dependency and no network: a white order
// chit with a torn edge on Chit's teal. Run: pnpm --filter @chit/client run icons
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const teal = [15, 61, 62, 255];
const white = [255, 255, 255, 255];
const ink = [15, 61, 62, 255];
const amber = [245, 166, 35, 255];
const clear = [0, 0, 0, 0];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The chit, drawn in a unit square scaled by `scale` around the centre. */
function chit(x, y, scale) {
  const u = (x - 0.5) / scale + 0.5;
  const v = (y - 0.5) / scale + 0.5;
  const left = 0.24,
    right = 0.76,
    top = 0.14,
    bottom = 0.86;
  // Torn bottom edge: a zigzag of eight teeth.
  const tooth = (right - left) / 8;
  const phase = ((u - left) % tooth) / tooth;
  const edge = bottom - 0.05 * Math.abs(phase - 0.5) * 2;
  if (u < left || u > right || v < top || v > edge) return null;
  const lines = [0.3, 0.42, 0.54];
  for (const [i, line] of lines.entries()) {
    const end = i === 2 ? 0.56 : 0.68;
    if (Math.abs(v - line) < 0.03 && u > 0.32 && u < end) return ink;
  }
  if (Math.abs(v - 0.7) < 0.045 && u > 0.52 && u < 0.68) return amber;
  return white;
}

function roundedSquare(x, y) {
  const r = 0.2;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}

const icon = (x, y) => (roundedSquare(x, y) ? (chit(x, y, 0.92) ?? teal) : clear);
// Maskable: full bleed, the drawing inside the 80 % safe circle.
const maskable = (x, y) => chit(x, y, 0.7) ?? teal;

const out = new URL('./public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), png(192, icon));
writeFileSync(new URL('icon-512.png', out), png(512, icon));
writeFileSync(new URL('maskable-512.png', out), png(512, maskable));
writeFileSync(new URL('apple-touch-icon-180.png', out), png(180, maskable));
writeFileSync(new URL('favicon-32.png', out), png(32, icon));
console.log('icons written to', out.pathname);
