import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * This build's version, `<package version>+<build time>.<commit>` (e.g.
 * `0.1.0+20261130T190337Z.c7d3d31`): sent by the app on every request (`Chit-App-Version`)
 * and written to `version.json`, from which the server knows which build is current. The
 * build time orders builds of one release; the commit says which code it is (left out
 * where there is no git).
 */
function buildVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
  const built = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a git checkout (a source tarball): the build time alone tells builds apart.
  }
  return `${pkg.version}+${built}${/^[0-9a-f]+$/.test(commit) ? `.${commit}` : ''}`;
}

const appVersion = buildVersion();

/** `version.json` beside the app: the server's answer to "which build is current". */
function versionFile(): Plugin {
  return {
    name: 'chit-version-file',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'version.json',
        source: `${JSON.stringify({ version: appVersion })}\n`,
      });
    },
  };
}

/**
 * The entry's stylesheet (about 2 kB gzipped) goes into index.html as a <style> element: the
 * first paint then waits for no request but the page itself (Lighthouse's "render-blocking
 * resources"). The CSP allows inline styles (server/src/http/security.ts); the file stays
 * beside it for anything that still links it.
 */
function inlineEntryCss(): Plugin {
  return {
    name: 'chit:inline-entry-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        return html.replace(/<link rel="stylesheet"(?: crossorigin)? href="\/([^"]+\.css)">/g, (tag, file: string) => {
          const css = ctx.bundle?.[file];
          return css?.type === 'asset' ? `<style>${String(css.source)}</style>` : tag;
        });
      },
    },
  };
}

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  resolve: {
    // zod, as the app's code and @chit/shared import it, is zod in jitless mode (see the module).
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod-jitless.ts', import.meta.url)) }],
  },
  plugins: [
    react(),
    versionFile(),
    inlineEntryCss(),
    VitePWA({
      // The waiter applies updates with a tap (never mid-send); src/pwa/register.ts registers it.
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      includeAssets: ['icons/favicon-32.png', 'icons/apple-touch-icon-180.png'],
      manifest: {
        id: '/',
        name: 'Chit — restaurant orders',
        short_name: 'Chit',
        description: 'Take orders at the table, online or not.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#0f3d3e',
        background_color: '#0f3d3e',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: '/index.html',
        // The API is never answered from a cache: not as a navigation, not at all.
        navigateFallbackDenylist: [/^\/api\//],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        // A tablet's first visit is served by the worker as soon as it is installed, not only
        // after a reload: the screens not yet opened (own chunks) then load with no network.
        // An update still waits for the waiter's tap (skipWaiting stays off).
        clientsClaim: true,
        skipWaiting: false,
      },
    }),
    // A .br and a .gz beside each text asset, served as they are by the server
    // (express-static-gzip): the waiter's first download is a third of its size.
    // Not index.html: it is small, it is what a deployment may edit in place (the update
    // test does), and a stale .br beside it would be served instead; the server compresses
    // it on the fly like any answer.
    compression({
      algorithms: ['gzip', 'brotliCompress'],
      threshold: 1024,
      exclude: [/\.html$/],
      logLevel: 'silent',
    }),
  ],
  build: {
    // size.mjs reads it to measure the initial JavaScript.
    manifest: true,
    // Every browser Chit supports has <link rel="modulepreload">: no polyfill in the entry.
    modulePreload: { polyfill: false },
    // terser packs the initial JavaScript 3 % smaller than esbuild (117 vs 121 kB gzipped),
    // for twice the build time; the waiter's first download is what counts (docs/decisions.md).
    minify: 'terser',
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
