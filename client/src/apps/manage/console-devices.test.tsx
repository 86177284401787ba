// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import type { DeviceSummary, Table } from '@chit/shared';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { encode } from 'uqr';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, renderWith } from '../../test/console.js';
import { tables } from '../../test/fixtures.js';
import { DevicesScreen } from './devices/DevicesScreen.js';
import { TablesEditor } from './tables/TablesEditor.js';

afterEach(cleanup);

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
    storagePersisted: true,
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

  it('says whose storage the browser may clear and how to keep it, and not for a revoked device', async () => {
    const devices: DeviceSummary[] = [
      { ...device, id: '00000000-0000-4000-8000-0000000000e1', name: 'Kept tablet', storagePersisted: true },
      { ...device, id: '00000000-0000-4000-8000-0000000000e2', name: 'Browser tablet', storagePersisted: false },
      { ...device, id: '00000000-0000-4000-8000-0000000000e3', name: 'Old app tablet', storagePersisted: null },
      {
        ...device,
        id: '00000000-0000-4000-8000-0000000000e4',
        name: 'Gone tablet',
        storagePersisted: false,
        revokedAt: '2025-01-01T12:00:00.000Z',
      },
    ];
    const { fetchFn } = fakeFetch({
      '/api/devices': { devices, currentAppVersion: null },
      '/api/pairing-codes': { pairingCodes: [] },
    });
    renderWith(<DevicesScreen />, fetchFn);
    const storageOf = async (name: string) => {
      const row = await screen.findByRole('row', { name: new RegExp(`^${name}`) });
      const column = screen.getAllByRole('columnheader').findIndex((h) => h.textContent === 'Storage');
      return row.children[column]!.textContent;
    };
    expect(await storageOf('Kept tablet')).toBe('Persistent');
    expect(await storageOf('Browser tablet')).toBe('May be cleared');
    expect(await storageOf('Old app tablet')).toBe('—');
    const note = screen.getByText(/may clear Chit’s storage/).textContent;
    expect(note).toContain('Browser tablet’s browser may clear Chit’s storage');
    expect(note).toContain('Install Chit to the home screen');
    expect(note).not.toContain('Gone tablet');
  });
});
