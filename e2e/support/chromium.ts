/**
 * How every browser run of Chit starts Chromium (the browser suite, its benches and the
 * client's Lighthouse bench): Debian's build, never a downloaded one, without the
 * background traffic and first-run screens that would skew what is measured.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumFlags: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
