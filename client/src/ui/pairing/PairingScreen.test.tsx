// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { ServicesContext, type AppServices } from '../context.js';
import { openDb } from '../../db/schema.js';
import { uniqueDbName } from '../../test/harness.js';
import { PairingScreen } from './PairingScreen.js';

afterEach(cleanup);

it('tells the person setting Chit up where the first manager code is, not only "ask a manager"', async () => {
  // The screen only reads the device's saved names; pairing itself is not exercised here.
  const services = { db: openDb(uniqueDbName()) } as unknown as AppServices;
  render(
    <ServicesContext.Provider value={services}>
      <PairingScreen />
    </ServicesContext.Provider>,
  );
  const summary = await screen.findByText('Setting up Chit for the first time?');
  const details = summary.closest('details')!;
  expect(details.open).toBe(false);
  fireEvent.click(summary);
  expect(details.open).toBe(true);
  expect(details.textContent).toMatch(/printed by the server when it starts/);
  expect(details.querySelector('code')?.textContent).toBe('pnpm chit pair --role manager');
});
