// The browser suite drives Debian's Chromium (Playwright's own browser download cannot
// reach the network here). Install it when it is missing; CHROMIUM_PATH overrides.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = root ? '' : 'sudo ';
console.log(`${path} not found: installing Debian's chromium package`);
try {
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`, {
    stdio: 'inherit',
  });
} catch {
  console.error('Could not install chromium with apt-get. Install it, or set CHROMIUM_PATH to a Chromium binary.');
  process.exit(1);
}
if (!existsSync(path)) {
  console.error(`chromium was installed but ${path} is still missing; set CHROMIUM_PATH.`);
  process.exit(1);
}
