import { test as base, expect, type Browser } from '@playwright/test';
import pg from 'pg';
import { SetupApi, type DeviceApi } from './api.js';
import { ManagerConsole } from './console.js';
import { KitchenBoard, WaiterApp } from './pages.js';
import { FaultyProxy } from './proxy.js';
import { ChitServer, copyClientDist, type ChitServerOptions } from './server.js';

export interface NewWaiterOptions {
  tabletName?: string;
  staffName?: string;
  /** Load the app from here instead of the server (a proxy in front of it). */
  baseUrl?: string;
}

export interface ServerFixtureOptions extends ChitServerOptions {
  /** Serve a private copy of the built app, which the test may change (`server.clientDist`). */
  ownClientCopy?: boolean;
}

interface Fixtures {
  /** Options for this test's server, e.g. `test.use({ serverOptions: { ownClientCopy: true } })`. */
  serverOptions: ServerFixtureOptions;
  /** The real server on a fresh database, for this test alone (tests kill it). */
  server: ChitServer;
  /** The first manager, paired over the API: hands out pairing codes. */
  setup: SetupApi;
  /** A kitchen device over the API. */
  kitchenApi: DeviceApi;
  /** The kitchen board in its own browser context. */
  board: KitchenBoard;
  /** The same board, paired on its own screen and live before the test starts. */
  liveBoard: KitchenBoard;
  /** The live board on a 1080p TV. */
  tvBoard: KitchenBoard;
  /** A proxy in front of the server whose faults the test sets (`newWaiter({ baseUrl: faultyProxy.baseUrl })`). */
  faultyProxy: FaultyProxy;
  /** Another tablet: a new browser context, paired through the pairing screen. */
  newWaiter: (options?: NewWaiterOptions) => Promise<WaiterApp>;
  /** The waiter's tablet (the test's `page`), paired through the pairing screen as Ana. */
  waiter: WaiterApp;
  /** The manager console (the test's `page`), paired on its own screen as the Office tablet, by Mia. */
  managerConsole: ManagerConsole;
  /** A query against the server's PostgreSQL. */
  sql: <T extends pg.QueryResultRow = any>(text: string, values?: unknown[]) => Promise<T[]>;
}

/** Pairs a tablet through the UI, the way a waiter does it once per tablet. */
export async function pairWaiter(
  app: WaiterApp,
  setup: SetupApi,
  { tabletName = 'Terrace tablet', staffName = 'Ana' }: NewWaiterOptions = {},
): Promise<WaiterApp> {
  await app.goto('/');
  await expect(app.pairing.form).toBeVisible();
  await app.pairing.pair(await setup.pairingCode('waiter'), tabletName, staffName);
  await expect(app.tables.heading).toBeVisible();
  await expect(app.page.getByRole('button', { name: `Staff: ${staffName}. Change name` })).toBeVisible();
  // The menu and the tables reached the tablet.
  await expect(app.tables.tile(12)).toBeVisible();
  return app;
}

async function newContextPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

export const test = base.extend<Fixtures>({
  serverOptions: [{}, { option: true }],

  server: async ({ serverOptions }, use) => {
    const { ownClientCopy, ...options } = serverOptions;
    const server = await ChitServer.start({
      ...options,
      clientDist: ownClientCopy ? await copyClientDist() : options.clientDist,
    });
    await use(server);
    await server.stop();
  },

  setup: async ({ server }, use) => {
    await use(await SetupApi.withFirstManager(server.baseUrl, server.firstManagerCode!));
  },

  kitchenApi: async ({ setup }, use) => {
    await use(await setup.device('kitchen', 'Kitchen pass'));
  },

  board: async ({ browser, kitchenApi, setup }, use) => {
    const page = await newContextPage(browser);
    await use(new KitchenBoard(page, kitchenApi, () => setup.pairingCode('kitchen')));
    await page.context().close();
  },

  liveBoard: async ({ board, server }, use) => {
    await board.open(server.baseUrl);
    await use(board);
  },

  tvBoard: async ({ board, server }, use) => {
    await board.page.setViewportSize({ width: 1920, height: 1080 });
    await board.open(server.baseUrl);
    await use(board);
  },

  faultyProxy: async ({ server }, use) => {
    const proxy = await FaultyProxy.start(server.port);
    await use(proxy);
    await proxy.stop();
  },

  newWaiter: async ({ browser, server, setup }, use) => {
    const contexts: { close(): Promise<void> }[] = [];
    await use(async (options = {}) => {
      const page = await newContextPage(browser);
      contexts.push(page.context());
      return pairWaiter(new WaiterApp(page, options.baseUrl ?? server.baseUrl), setup, options);
    });
    for (const context of contexts) await context.close();
  },

  waiter: async ({ page, server, setup }, use) => {
    await use(await pairWaiter(new WaiterApp(page, server.baseUrl), setup));
  },

  managerConsole: async ({ page, server, setup }, use) => {
    const console = new ManagerConsole(page, server.baseUrl);
    await console.pair(await setup.pairingCode('manager'));
    await use(console);
  },

  sql: async ({ server }, use) => {
    await use(async (text, values) => {
      const client = new pg.Client({ connectionString: server.databaseUrl });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    });
  },
});

export { expect };
