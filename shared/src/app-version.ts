// Apart from devices.ts so that it lands in the console's chunk, not the waiter's initial script.

/**
 * How a device's app compares with the build the server serves now. The app reports
 * `Chit-App-Version` as `<package version>+<build time>.<commit>` (client/vite.config.ts),
 * e.g. `0.1.0+20261130T190337Z.c7d3d31`; the build writes the same string to `version.json`
 * beside the app, which the server reads as the current one.
 * - `older`: an earlier build (its tablet has not taken the update yet),
 * - `newer`: a later one (another instance already serves a newer build),
 * - `different`: not comparable (a hand-set version) and not the same,
 * - `unknown`: the device never said, or the server serves no build.
 */
export type AppVersionStatus = 'current' | 'older' | 'newer' | 'different' | 'unknown';

const appVersionPattern = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+(\d{8}T\d{6}Z)?[0-9A-Za-z.-]*)?$/;

export function appVersionStatus(reported: string | null, current: string | null): AppVersionStatus {
  if (reported === null || current === null) return 'unknown';
  if (reported === current) return 'current';
  const a = appVersionPattern.exec(reported);
  const b = appVersionPattern.exec(current);
  if (!a || !b) return 'different';
  for (let part = 1; part <= 3; part++) {
    const diff = Number(a[part]) - Number(b[part]);
    if (diff !== 0) return diff < 0 ? 'older' : 'newer';
  }
  // Same release: the build time decides (a fixed-width stamp, so strings compare in time order).
  const [builtA, builtB] = [a[4] ?? '', b[4] ?? ''];
  if (builtA === builtB) return 'different';
  return builtA < builtB ? 'older' : 'newer';
}
