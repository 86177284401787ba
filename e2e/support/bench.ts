import { parseArgs } from 'node:util';

// What every bench script needs (the server's, the client's and the browser suite's): its
// command-line options, and medians and percentiles of what it measured.

type BenchOptions<D> = { [K in keyof D]: D[K] extends number ? number : string };

/**
 * A bench's `--name value` options over their defaults: a number where the default is one
 * (a value that is not a number stops the bench), text where the default is text. An
 * option not among the defaults stops the bench too. `pnpm run bench -- --rounds 1` passes
 * the `--` on: it is skipped.
 */
export function benchOptions<const D extends Record<string, number | string>>(
  defaults: D,
  args: string[] = process.argv.slice(2),
): BenchOptions<D> {
  const { values } = parseArgs({
    args: args.filter((arg) => arg !== '--'),
    options: Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' as const }])),
  });
  const options: Record<string, number | string> = {};
  for (const [name, fallback] of Object.entries(defaults)) {
    const given = values[name];
    if (typeof given !== 'string' || typeof fallback === 'string') {
      options[name] = given ?? fallback;
      continue;
    }
    const value = Number(given);
    if (given.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name} takes a number, not "${given}"`);
    options[name] = value;
  }
  // The loop above gave each default's name a value of its default's kind.
  return options as BenchOptions<D>;
}

/** The median; NaN of none. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `p`th percentile (nearest rank); NaN of none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
