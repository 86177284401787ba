import { expect, test } from '../support/fixtures.js';

test('the devices screen shows the app version each device runs and marks one on an older build', async ({
  managerConsole: console,
  page,
  server,
  setup,
  newWaiter,
}) => {
  // The build the server serves says which version it is; every page of it sends that version.
  const served = ((await (await fetch(`${server.baseUrl}/version.json`)).json()) as { version: string }).version;
  expect(served).toMatch(/^\d+\.\d+\.\d+\+\d{8}T\d{6}Z/);

  await newWaiter({ tabletName: 'Terrace tablet' });
  // A tablet that has not taken last month's update yet.
  const stale = await setup.device('waiter', 'Bar tablet');
  const stalled = await fetch(`${server.baseUrl}/api/menu`, {
    headers: { authorization: `Bearer ${stale.token}`, 'chit-app-version': '0.0.1+20261101T080000Z.0000000' },
  });
  expect(stalled.status).toBe(200);

  await console.open('Devices');
  await expect(page.getByText(`App served now: ${served}`)).toBeVisible();
  await expect(console.deviceRow('Office')).toContainText(served);
  await expect(console.deviceRow('Office')).not.toContainText('older');
  await expect(console.deviceRow('Terrace tablet')).toContainText(served);
  await expect(console.deviceRow('Bar tablet')).toContainText(
    '0.0.1+20261101T080000Z.0000000 (older than the server’s)',
  );
  await expect(page.getByRole('region', { name: 'Paired devices' })).toContainText(
    '1 device runs an older app than this server’s',
  );
  await console.screenshots('devices');
});
