// Measures the JavaScript a first visit must load before the app can run: the entry chunk
// and everything it imports statically. Lazy chunks (the other screens, the schemas that
// answers are checked with, workbox-window) are summed after it but not counted.
// Reads Vite's build manifest; run after `vite build`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// Was 150 until zod and the schemas left the entry (docs/decisions.md).
const budgetKb = 120;
const dist = new URL('./dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
if (!entry) throw new Error('no entry chunk in dist/.vite/manifest.json: run vite build first');

const seen = new Set();
const visit = (chunk) => {
  if (seen.has(chunk.file)) return;
  seen.add(chunk.file);
  for (const key of chunk.imports ?? []) visit(manifest[key]);
};
visit(entry);

let raw = 0;
let gzipped = 0;
for (const file of seen) {
  const bytes = readFileSync(new URL(file, dist));
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += gz;
  console.log(
    `  ${file.padEnd(40)} ${(bytes.length / 1000).toFixed(1).padStart(7)} kB  ${(gz / 1000).toFixed(1).padStart(6)} kB gz`,
  );
}
// Every other chunk the app can load later, with what each imports (precached by the service
// worker, so offline too).
const lazy = new Set(
  Object.values(manifest)
    .filter((chunk) => chunk.file.endsWith('.js') && !seen.has(chunk.file))
    .map((chunk) => chunk.file),
);
const lazyGz = [...lazy].reduce(
  (sum, file) => sum + gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length,
  0,
);
console.log(`Loaded on demand (not counted): ${lazy.size} chunks, ${(lazyGz / 1000).toFixed(1)} kB gzipped`);
// kB = 1000 bytes, as Vite prints them; the stricter reading of the budget.
const kb = gzipped / 1000;
console.log(`Initial JS: ${(raw / 1000).toFixed(1)} kB, ${kb.toFixed(1)} kB gzipped (budget ${budgetKb} kB)`);
if (kb > budgetKb) {
  console.error(`Over budget by ${(kb - budgetKb).toFixed(1)} kB.`);
  process.exit(1);
}
