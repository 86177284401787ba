// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import type { DeviceSummary, Table } from '@chit/shared';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { encode } from 'uqr';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesContext, type AppServices } from '../../ui/context.js';
import { openDb } from '../../db/schema.js';
import { Api } from '../../sync/api.js';
import type { SyncEngine } from '../../sync/engine.js';
import { uniqueDbName } from '../../test/harness.js';
import { ids, menu, tables } from '../../test/fixtures.js';
import { DevicesScreen } from './devices/DevicesScreen.js';
import { MenuEditor } from './menu/MenuEditor.js';
import { TablesEditor } from './tables/TablesEditor.js';

afterEach(cleanup);

interface Seen {
  method: string;
  path: string;
  body: unknown;
  key: string | null;
}

type Reply = (seen: Seen) => Response | Promise<Response> | 'network';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch that answers GETs from `gets` and writes from the queued replies, remembering every request. */
function fakeFetch(gets: Record<string, unknown>, writes: Reply[] = []) {
  const seen: Seen[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://chit.test');
    const headers = new Headers(init?.headers);
    const request: Seen = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
      key: headers.get('Idempotency-Key'),
    };
    seen.push(request);
    if (request.method === 'GET') return json(200, gets[url.pathname]);
    const reply = writes.shift();
    if (!reply) throw new Error(`no reply queued for ${request.method} ${request.path}`);
    const answer = await reply(request);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    return answer;
  }) as typeof fetch;
  return { fetchFn, seen };
}

function renderWith(ui: ReactNode, fetchFn: typeof fetch) {
  const api = new Api({ fetch: fetchFn });
  api.setToken('t');
  const services = { db: openDb(uniqueDbName()), engine: { online: api } as unknown as SyncEngine } as AppServices;
  return render(<ServicesContext.Provider value={services}>{ui}</ServicesContext.Provider>);
}

const pizza = menu.items.find((i) => i.id === ids.pizza)!;

describe('the menu editor', () => {
  it('edits a dish: the PATCH carries only what changed, with an Idempotency-Key', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [
      (s) => json(200, { item: { ...pizza, ...(s.body as object) } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    fireEvent.change(within(dialog).getByLabelText('Price (€)'), { target: { value: '12,50' } });
    fireEvent.change(within(dialog).getByLabelText('Prep time (minutes)'), { target: { value: '14' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const patch = seen.find((s) => s.method === 'PATCH')!;
    expect(patch.path).toBe(`/api/menu/items/${pizza.id}`);
    expect(patch.body).toEqual({ priceCents: 1250, prepMinutes: 14 });
    expect(patch.key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('marks a dish sold out with the availability switch', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [
      () => json(200, { item: { ...pizza, available: false } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('switch', { name: `${pizza.name} available` }));
    await waitFor(() => expect(seen.some((s) => s.method === 'PATCH')).toBe(true));
    expect(seen.find((s) => s.method === 'PATCH')!.body).toEqual({ available: false });
  });

  it('adds a dish to a category', async () => {
    const category = menu.categories[0]!;
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [() => json(201, { item: pizza })]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Add item to ${category.name}` }));
    const dialog = screen.getByRole('dialog', { name: 'Add item' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Calzone' } });
    fireEvent.change(within(dialog).getByLabelText('Price (€)'), { target: { value: '11' } });
    fireEvent.change(within(dialog).getByLabelText('Allergens (comma separated)'), {
      target: { value: 'gluten, milk' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(seen.some((s) => s.method === 'POST')).toBe(true));
    expect(seen.find((s) => s.method === 'POST')).toMatchObject({
      path: '/api/menu/items',
      body: { name: 'Calzone', categoryId: category.id, priceCents: 1100, allergens: ['gluten', 'milk'] },
    });
  });
});

describe('the menu editor’s order and one Save', () => {
  const soup = menu.items.find((i) => i.id === ids.soup)!;

  it('moves a dish down with one request naming every dish of its category in the new order', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [() => json(200, { items: [soup, pizza] })]);
    renderWith(<MenuEditor />, fetchFn);
    const up = await screen.findByRole<HTMLButtonElement>('button', { name: `Move ${pizza.name} up` });
    expect(up.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: `Move ${pizza.name} down` }));
    await waitFor(() => expect(seen.some((s) => s.method === 'POST')).toBe(true));
    const post = seen.find((s) => s.method === 'POST')!;
    expect(post.path).toBe(`/api/menu/categories/${ids.category}/item-order`);
    expect(post.body).toEqual({ menuItemIds: [soup.id, pizza.id] });
    expect(post.key).toMatch(/^[0-9a-f-]{36}$/);
    // The menu is read again, so the list shows the server's order.
    await waitFor(() => expect(seen.filter((s) => s.path === '/api/menu').length).toBe(2));
  });

  it('saves a dish and its modifier groups with one Save: one PATCH with the whole list of groups', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [
      () => json(200, { item: { ...pizza, priceCents: 1200 } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    fireEvent.change(within(dialog).getByLabelText('Price (€)'), { target: { value: '12' } });
    // Drop the toppings, add a crust group with one option.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove group: Toppings' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add modifier group' }));
    const crust = within(dialog).getByRole('group', { name: 'New modifier group 2' });
    fireEvent.change(within(crust).getByLabelText('Group name'), { target: { value: 'Crust' } });
    fireEvent.change(within(crust).getByLabelText('Option 1'), { target: { value: 'Thin' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const writes = seen.filter((s) => s.method !== 'GET');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.path).toBe(`/api/menu/items/${pizza.id}`);
    expect(writes[0]!.body).toEqual({
      priceCents: 1200,
      modifierGroups: [
        {
          id: ids.sizeGroup,
          name: 'Size',
          minChoices: 1,
          maxChoices: 1,
          options: [
            { id: ids.small, name: 'Small', priceDeltaCents: -200, isDefault: false },
            { id: ids.large, name: 'Large', priceDeltaCents: 300, isDefault: false },
          ],
        },
        {
          name: 'Crust',
          minChoices: 0,
          maxChoices: 1,
          options: [{ name: 'Thin', priceDeltaCents: 0, isDefault: false }],
        },
      ],
    });
  });

  it('says what is wrong with a group before sending anything', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu });
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    const size = within(dialog).getByRole('group', { name: 'Size' });
    fireEvent.change(within(size).getByLabelText('Minimum choices'), { target: { value: '3' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Size: the minimum number of choices cannot be above the maximum.',
    );
    expect(seen.filter((s) => s.method !== 'GET')).toEqual([]);
  });
});

describe('the menu editor’s station', () => {
  it('is picked from the stations in use; a new one is added on purpose', async () => {
    const grill = { ...pizza, id: '00000000-0000-4000-8000-0000000000f1', name: 'Steak', station: 'grill' };
    const withGrill = { ...menu, items: [...menu.items, grill] };
    const { fetchFn, seen } = fakeFetch({ '/api/menu': withGrill }, [
      (s) => json(200, { item: { ...pizza, ...(s.body as object) } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    const station = within(dialog).getByRole('combobox', { name: 'Station' });
    const offered = within(station)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(offered).toEqual([...new Set(withGrill.items.map((i) => i.station))].sort().concat('New station…'));

    fireEvent.change(station, { target: { value: '' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'New station' }), { target: { value: 'Pastry' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(seen.some((s) => s.method === 'PATCH')).toBe(true));
    expect(seen.find((s) => s.method === 'PATCH')!.body).toEqual({ station: 'Pastry' });
  });
});

describe('the tables editor', () => {
  const table12 = tables.find((t) => t.number === 12) ?? tables[0]!;

  it('shows the server’s reason when it refuses to remove a table', async () => {
    const { fetchFn } = fakeFetch({ '/api/tables': { tables } }, [
      () =>
        json(409, {
          error: { code: 'table_has_open_items', message: `Table ${table12.number} still has 2 open items.` },
        }),
    ]);
    renderWith(<TablesEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Remove table ${table12.number}` }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }));
    expect((await screen.findByRole('alert')).textContent).toBe(`Table ${table12.number} still has 2 open items.`);
  });

  it('reuses the Idempotency-Key when the same action is retried after a network error', async () => {
    const created: Table = { id: '00000000-0000-4000-8000-000000000099', number: 40, label: 'Table 40', area: null };
    const { fetchFn, seen } = fakeFetch({ '/api/tables': { tables } }, [
      () => 'network',
      () => json(201, { table: created }),
    ]);
    renderWith(<TablesEditor />, fetchFn);
    fireEvent.change(await screen.findByLabelText('Number'), { target: { value: '40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add table' }));
    expect((await screen.findByRole('alert')).textContent).toContain('No answer from the server');
    fireEvent.click(screen.getByRole('button', { name: 'Add table' }));
    await waitFor(() => expect(seen.filter((s) => s.method === 'POST')).toHaveLength(2));
    const [first, second] = seen.filter((s) => s.method === 'POST');
    expect(first!.body).toEqual({ number: 40, area: null });
    expect(second!.key).toBe(first!.key);
  });

  it('reuses the key after a "try again" answer, and makes a new one after a refusal', async () => {
    const created: Table = { id: '00000000-0000-4000-8000-000000000098', number: 41, label: 'Table 41', area: null };
    const { fetchFn, seen } = fakeFetch({ '/api/tables': { tables } }, [
      () =>
        json(503, { error: { code: 'database_unavailable', message: 'The database cannot be reached right now.' } }),
      () => json(409, { error: { code: 'table_number_taken', message: 'Table 41 exists.' } }),
      () => json(201, { table: created }),
    ]);
    renderWith(<TablesEditor />, fetchFn);
    fireEvent.change(await screen.findByLabelText('Number'), { target: { value: '41' } });
    for (let tries = 1; tries <= 3; tries++) {
      fireEvent.click(screen.getByRole('button', { name: 'Add table' }));
      await waitFor(() => expect(seen.filter((s) => s.method === 'POST')).toHaveLength(tries));
      if (tries < 3) await screen.findByRole('alert');
    }
    const [first, second, third] = seen.filter((s) => s.method === 'POST');
    expect(second!.key).toBe(first!.key);
    expect(third!.key).not.toBe(second!.key);
  });
});

describe('the devices screen', () => {
  const device: DeviceSummary = {
    id: '00000000-0000-4000-8000-0000000000a1',
    name: 'Tablet A',
    role: 'waiter',
    createdAt: '2025-01-01T10:00:00.000Z',
    lastSeenAt: '2025-01-01T11:00:00.000Z',
    revokedAt: null,
    appVersion: '1.2.3',
    writesReceived: 17,
    outbox: { length: 0, oldestWaitSeconds: null, reportedAt: '2025-01-01T11:00:00.000Z' },
  };

  it('lists devices, creates a pairing code with its QR code, and revokes a device', async () => {
    const { fetchFn, seen } = fakeFetch(
      { '/api/devices': { devices: [device], currentAppVersion: null }, '/api/pairing-codes': { pairingCodes: [] } },
      [
        () =>
          json(201, {
            id: '00000000-0000-4000-8000-0000000000c1',
            code: 'ABCD-EFGH',
            role: 'kitchen',
            expiresAt: '2025-01-01T12:15:00.000Z',
            pairUrl: 'http://chit.test/pair?code=ABCD-EFGH',
          }),
        () => json(200, { device: { ...device, revokedAt: '2025-01-01T12:00:00.000Z' } }),
      ],
    );
    renderWith(<DevicesScreen />, fetchFn);
    const row = await screen.findByRole('row', { name: /Tablet A/ });
    expect(row.textContent).toContain('1.2.3');
    expect(row.textContent).toContain('17');
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'kitchen' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create pairing code' }));
    const qr = await screen.findByRole('img', { name: 'QR code to pair a kitchen device' });
    // The QR code is the pairing link's: a new tablet's camera opens /pair with the code filled in.
    const link = encode('http://chit.test/pair?code=ABCD-EFGH', { border: 2 });
    expect(qr.getAttribute('viewBox')).toBe(`0 0 ${link.size} ${link.size}`);
    expect(qr.querySelector('path')?.getAttribute('d')?.match(/M/g)).toHaveLength(
      link.data.flat().filter(Boolean).length,
    );
    expect(qr.closest('[role="status"]')?.textContent).toContain('Kitchen pairing code: ABCD-EFGH');
    expect(seen.find((s) => s.method === 'POST')!.body).toEqual({ role: 'kitchen', ttlMinutes: 15 });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke Tablet A' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(seen.some((s) => s.method === 'DELETE')).toBe(true));
    expect(seen.find((s) => s.method === 'DELETE')!.path).toBe(`/api/devices/${device.id}`);
  });

  it('lists open pairing codes and cancels one with its own Idempotency-Key', async () => {
    const open = {
      id: '00000000-0000-4000-8000-0000000000c2',
      role: 'waiter' as const,
      createdAt: '2025-01-01T10:00:00.000Z',
      expiresAt: '2025-01-01T10:15:00.000Z',
      createdBy: { id: device.id, name: 'Office' },
      cancelledAt: null,
    };
    const { fetchFn, seen } = fakeFetch(
      {
        '/api/devices': { devices: [device], currentAppVersion: null },
        '/api/pairing-codes': { pairingCodes: [open] },
      },
      [() => json(200, { pairingCode: { ...open, cancelledAt: '2025-01-01T10:05:00.000Z' } })],
    );
    renderWith(<DevicesScreen />, fetchFn);
    const table = (await screen.findByRole('heading', { name: 'Open pairing codes' })).parentElement!;
    const row = await within(table).findByRole('row', { name: /Waiter/ });
    expect(row.textContent).toContain('Office');
    fireEvent.click(within(row).getByRole('button', { name: /Cancel the waiter code/ }));
    await waitFor(() => expect(seen.some((s) => s.method === 'DELETE')).toBe(true));
    const cancel = seen.find((s) => s.method === 'DELETE')!;
    expect(cancel.path).toBe(`/api/pairing-codes/${open.id}`);
    expect(cancel.key).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => expect(seen.filter((s) => s.path === '/api/pairing-codes').length).toBe(2));
  });

  it('flags a tablet whose writes have waited over 2 minutes and one not seen for 5, and not a healthy one', async () => {
    const now = Date.now();
    const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
    const devices: DeviceSummary[] = [
      {
        ...device,
        id: '00000000-0000-4000-8000-0000000000b1',
        name: 'Stuck tablet',
        lastSeenAt: ago(10),
        outbox: { length: 3, oldestWaitSeconds: 250, reportedAt: ago(10) },
      },
      { ...device, id: '00000000-0000-4000-8000-0000000000b2', name: 'Quiet tablet', lastSeenAt: ago(7 * 60) },
      {
        ...device,
        id: '00000000-0000-4000-8000-0000000000b3',
        name: 'Busy tablet',
        lastSeenAt: ago(5),
        outbox: { length: 1, oldestWaitSeconds: 2, reportedAt: ago(5) },
      },
    ];
    const { fetchFn } = fakeFetch({ '/api/devices': { devices, currentAppVersion: null } });
    renderWith(<DevicesScreen />, fetchFn);
    const stuck = await screen.findByRole('row', { name: /Stuck tablet/ });
    expect(stuck.textContent).toContain('3, oldest 4 min');
    expect(stuck.textContent).toContain('Writes waiting 4 min');
    expect(screen.getByRole('row', { name: /Quiet tablet/ }).textContent).toContain('Not seen for 7 min');
    const busy = screen.getByRole('row', { name: /Busy tablet/ });
    expect(busy.textContent).toContain('1, oldest 2 s');
    expect(busy.textContent).toContain('OK');
    expect(screen.getByRole('status').textContent).toContain('2 devices need a look');
  });

  it('marks a tablet still on an older app build than the one the server serves, and not the current ones', async () => {
    const current = '0.1.0+20261130T190337Z.c7d3d31';
    const seen = { lastSeenAt: new Date().toISOString() };
    const devices: DeviceSummary[] = [
      {
        ...device,
        id: '00000000-0000-4000-8000-0000000000d1',
        name: 'Old tablet',
        ...seen,
        appVersion: '0.1.0+20261101T080000Z.1a2b3c4',
      },
      { ...device, id: '00000000-0000-4000-8000-0000000000d2', name: 'New tablet', appVersion: current },
      { ...device, id: '00000000-0000-4000-8000-0000000000d3', name: 'Silent tablet', appVersion: null },
    ];
    const { fetchFn } = fakeFetch({
      '/api/devices': { devices, currentAppVersion: current },
      '/api/pairing-codes': { pairingCodes: [] },
    });
    renderWith(<DevicesScreen />, fetchFn);
    const old = await screen.findByRole('row', { name: /Old tablet/ });
    expect(old.textContent).toContain('0.1.0+20261101T080000Z.1a2b3c4 (older than the server’s)');
    expect(screen.getByRole('row', { name: /New tablet/ }).textContent).not.toContain('older');
    expect(screen.getByRole('row', { name: /Silent tablet/ }).textContent).toContain('—');
    expect(screen.getByText(/1 device runs an older app than this server’s/)).toBeTruthy();
    expect(screen.getByText(`App served now: ${current}`)).toBeTruthy();
  });
});
