// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import StaffDialog from '../app/StaffDialog.js';
import { getMeta, setMeta } from '../db/meta.js';
import { openDb, type ChitDb, type OrderRow } from '../db/schema.js';
import { rowFromServer } from '../domain/rebase.js';
import { FakeAudioContext, played } from '../test/fake-audio.js';
import { ids, serverItem, tables } from '../test/fixtures.js';
import { uniqueDbName } from '../test/harness.js';
import { ServicesContext, type AppServices } from './context.js';
import ReadyNotice from './ReadyNotice.js';

let db: ChitDb;
const vibrate = vi.fn();

beforeEach(() => {
  db = openDb(uniqueDbName());
  played.length = 0;
  vibrate.mockClear();
  vi.stubGlobal('AudioContext', FakeAudioContext);
  Object.defineProperty(navigator, 'vibrate', { value: vibrate, configurable: true });
});

afterEach(() => {
  cleanup();
  db.close();
  vi.unstubAllGlobals();
});

const services = () =>
  ({ db, engine: { setStaffName: (name: string) => setMeta(db, 'staffName', name) } }) as unknown as AppServices;

const orderId = '70000000-0000-4000-8000-000000000001';
const soupId = '70000000-0000-4000-8000-000000000002';

const order: OrderRow = {
  id: orderId,
  ticketNumber: 7,
  type: 'dine_in',
  tableId: ids.table1,
  customer: null,
  note: '',
  staffName: 'Mia',
  takenAt: '2025-01-01T12:00:00.000Z',
  createdAt: '2025-01-01T12:00:00.000Z',
  sync: 'synced',
  mine: true,
};

/** An order of this tablet's at table 1 with one soup, `status` as the kitchen left it. */
async function soupAtTable1(status: 'cooking' | 'ready'): Promise<void> {
  const item = rowFromServer(serverItem({ id: soupId, orderId, tableId: ids.table1 }), undefined);
  await db.diningTables.bulkPut(tables);
  await db.orders.put(order);
  await db.items.put({ ...item, status });
}

async function showNotice(): Promise<void> {
  render(
    <ServicesContext.Provider value={services()}>
      <ReadyNotice />
    </ServicesContext.Provider>,
  );
  // The first read is done once the settings and the ready list are both in.
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
}

const turnsReady = async () => {
  await db.items.update(soupId, { status: 'ready', readyAt: '2025-01-01T12:10:00.000Z' });
  await screen.findByRole('link', { name: '1 dish ready to serve: T1' });
};

describe('when a dish of this waiter turns ready', () => {
  it('a phone buzzes, and no chime plays unless the waiter turned it on', async () => {
    await soupAtTable1('cooking');
    await showNotice();
    fireEvent.pointerDown(document.body);
    await turnsReady();
    expect(vibrate).toHaveBeenCalledWith(200);
    expect(played).toEqual([]);
  });

  it('the device chimes once its waiter turned the chime on, after any tap since the app opened', async () => {
    await setMeta(db, 'readyAlerts', { vibrate: false, sound: true });
    await soupAtTable1('cooking');
    await showNotice();
    // A reload: the browser holds sound back until the waiter's next tap, anywhere.
    fireEvent.pointerDown(document.body);
    await turnsReady();
    expect(played).toEqual([784, 1047, 1319]);
    expect(vibrate).not.toHaveBeenCalled();
  });

  it('food already waiting when the app opens neither buzzes nor chimes', async () => {
    await setMeta(db, 'readyAlerts', { vibrate: true, sound: true });
    await soupAtTable1('ready');
    await showNotice();
    fireEvent.pointerDown(document.body);
    expect(await screen.findByRole('link', { name: '1 dish ready to serve: T1' })).toBeTruthy();
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(vibrate).not.toHaveBeenCalled();
    expect(played).toEqual([]);
  });
});

describe("the waiter's ready alerts", () => {
  function openDialog() {
    return render(
      <ServicesContext.Provider value={services()}>
        <StaffDialog initial="Mia" onClose={() => undefined} />
      </ServicesContext.Provider>,
    );
  }

  it('are vibration on and chime off until changed, and are kept on the device', async () => {
    const dialog = openDialog();
    const vibration = await screen.findByRole<HTMLInputElement>('checkbox', { name: 'Vibrate (phones)' });
    const sound = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Play a chime' });
    expect(vibration.checked).toBe(true);
    expect(sound.checked).toBe(false);

    fireEvent.click(sound);
    fireEvent.click(vibration);
    // Turning it on lets the page make sound, and plays the chime so the waiter hears it.
    await vi.waitFor(() => expect(played).toEqual([784, 1047, 1319]));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(async () => expect(await getMeta(db, 'readyAlerts')).toEqual({ vibrate: false, sound: true }));
    dialog.unmount();

    openDialog();
    await vi.waitFor(() =>
      expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Play a chime' }).checked).toBe(true),
    );
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Vibrate (phones)' }).checked).toBe(false);
  });
});
