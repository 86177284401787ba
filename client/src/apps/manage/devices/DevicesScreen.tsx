import {
  appVersionStatus,
  type DeviceSummary,
  type PairingCode,
  type PairingCodeSummary,
  type Role,
} from '@chit/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { clockTime } from '../../../ui/time.js';
import { useServices } from '../../../ui/context.js';
import { useMeta } from '../../../db/hooks.js';
import { Confirm } from '../../../ui/Confirm.js';
import { DataTable } from '../DataTable.js';
import { useConfirm, useLoad, useWrite } from '../useWrite.js';
import { QrCode } from './QrCode.js';
import { AppVersion, problems, StorageNote, StorageState, unsent } from './health.js';
import { ManageSection } from '../ManageSection.js';

const roleNames: Record<Role, string> = { waiter: 'Waiter', kitchen: 'Kitchen', manager: 'Manager' };

function when(iso: string | null): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today ? `Today ${clockTime(iso)}` : date.toLocaleString();
}

/** How often the list is read again while it is open: it is where the manager watches devices. */
const refreshMs = 30_000;

/** Paired devices, their health, pairing codes for new ones, and revocation. */
export function DevicesScreen() {
  const { db } = useServices();
  const session = useMeta(db, 'session');
  const { data, error: loadError, reload } = useLoad((api) => api.devices());
  const { data: codes, error: codesError, reload: reloadCodes } = useLoad((api) => api.pairingCodes());
  const write = useWrite();
  const [role, setRole] = useState<Role>('waiter');
  const [code, setCode] = useState<PairingCode | null>(null);
  const revoking = useConfirm<DeviceSummary>();

  useEffect(() => {
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [reload]);

  const createCode = async (event: FormEvent) => {
    event.preventDefault();
    // A new code every time: each tap is its own action.
    const body = { role, ttlMinutes: 15 };
    const made = await write.run(['code', body, crypto.randomUUID()], (api, key) => api.createPairingCode(body, key));
    if (made) setCode(made);
    await reloadCodes();
  };

  const cancelCode = async (open: PairingCodeSummary) => {
    const done = await write.run(['cancel-code', open.id], (api, key) =>
      api.cancelPairingCode(open.id, write.who, key),
    );
    if (done && code?.id === open.id) setCode(null);
    await reloadCodes();
  };

  const revoke = async (device: DeviceSummary) => {
    const done = await write.run(['revoke', device.id], (api, key) => api.revokeDevice(device.id, write.who, key));
    // Its unused pairing codes are cancelled with it.
    if (done) await Promise.all([reload(), reloadCodes()]);
  };

  const now = new Date();
  const devices = [...(data?.devices ?? [])].sort(
    (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || a.name.localeCompare(b.name),
  );
  const unwell = devices.filter((device) => problems(device, now).length > 0).length;
  const current = data?.currentAppVersion ?? null;
  const behind = devices.filter(
    (device) => !device.revokedAt && appVersionStatus(device.appVersion, current) === 'older',
  ).length;

  return (
    <ManageSection id="devices" title="Devices" loadError={loadError ?? codesError} writeError={write.error}>
      <section className="manage-card" aria-labelledby="pairing-title">
        <h2 id="pairing-title">Pair a new device</h2>
        <form className="manage-inline-form" onSubmit={(e) => void createCode(e)}>
          <label className="field">
            <span>Role</span>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="waiter">Waiter tablet</option>
              <option value="kitchen">Kitchen board</option>
              <option value="manager">Manager</option>
            </select>
          </label>
          <button type="submit" className="button button--primary" disabled={write.busy}>
            Create pairing code
          </button>
        </form>
        {code ? (
          <div className="manage-code" role="status">
            <QrCode text={code.pairUrl} label={`QR code to pair a ${roleNames[code.role].toLowerCase()} device`} />
            <div>
              <p>
                {roleNames[code.role]} pairing code: <strong className="manage-code__value">{code.code}</strong>
              </p>
              <p>
                Valid until {clockTime(code.expiresAt)}. Scan the code with the new tablet’s camera, or open Chit on it
                and type the code.
              </p>
              <p className="manage-muted">{code.pairUrl}</p>
            </div>
          </div>
        ) : null}
      </section>
      <section className="manage-card" aria-labelledby="open-codes-title">
        <h2 id="open-codes-title">Open pairing codes</h2>
        {codes === undefined ? (
          <p aria-busy="true">Loading the pairing codes…</p>
        ) : (
          <DataTable
            rows={codes.pairingCodes}
            rowKey={(open) => open.id}
            empty="No pairing code is open: nobody can pair a device right now."
            columns={[
              { header: 'For', cell: (open) => roleNames[open.role] },
              { header: 'Made', cell: (open) => when(open.createdAt) },
              { header: 'By', cell: (open) => open.createdBy?.name ?? 'Server command line' },
              { header: 'Valid until', cell: (open) => when(open.expiresAt) },
              {
                header: null,
                cell: (open) => (
                  <button
                    type="button"
                    className="button button--danger-outline"
                    disabled={write.busy}
                    onClick={() => void cancelCode(open)}
                    aria-label={`Cancel the ${roleNames[open.role].toLowerCase()} code made ${when(open.createdAt)}`}
                  >
                    Cancel
                  </button>
                ),
              },
            ]}
          />
        )}
      </section>
      <section className="manage-card" aria-labelledby="paired-title">
        <h2 id="paired-title">Paired devices</h2>
        {unwell > 0 ? (
          <p className="manage-health-note" role="status">
            {unwell === 1 ? '1 device needs' : `${unwell} devices need`} a look: writes waiting over 2 minutes, or not
            seen for 5.
          </p>
        ) : null}
        {behind > 0 ? (
          <p className="manage-health-note" role="status">
            {behind === 1 ? '1 device runs' : `${behind} devices run`} an older app than this server’s: it takes the new
            one when someone taps “Update” on it (or reopens the app).
          </p>
        ) : null}
        <StorageNote devices={devices} />
        {current ? <p className="manage-muted">App served now: {current}</p> : null}
        {data === undefined ? (
          <p aria-busy="true">Loading the devices…</p>
        ) : (
          <DataTable
            rows={devices}
            rowKey={(device) => device.id}
            rowClass={(device) =>
              device.revokedAt
                ? 'manage-table__off'
                : problems(device, now).length > 0
                  ? 'manage-table__unwell'
                  : undefined
            }
            columns={[
              {
                header: 'Name',
                cell: (device) => `${device.name}${device.id === session?.device.id ? ' (this device)' : ''}`,
              },
              { header: 'Role', cell: (device) => roleNames[device.role] },
              { header: 'Last seen', cell: (device) => when(device.lastSeenAt) },
              { header: 'Unsent writes', cell: unsent },
              {
                header: 'Health',
                cell: (device) => {
                  const found = problems(device, now);
                  if (device.revokedAt) return '—';
                  return found.length > 0 ? (
                    <span className="manage-health manage-health--bad">{found.join('; ')}</span>
                  ) : (
                    <span className="manage-health">OK</span>
                  );
                },
              },
              { header: 'App version', cell: (device) => <AppVersion device={device} current={current} /> },
              { header: 'Storage', cell: (device) => <StorageState device={device} /> },
              { header: 'Writes received', cell: (device) => device.writesReceived },
              {
                header: null,
                cell: (device) =>
                  device.revokedAt ? (
                    `Revoked ${when(device.revokedAt)}`
                  ) : (
                    <button
                      type="button"
                      className="button button--danger-outline"
                      onClick={() => revoking.ask(device)}
                      aria-label={`Revoke ${device.name}`}
                    >
                      Revoke
                    </button>
                  ),
              },
            ]}
          />
        )}
      </section>
      {revoking.pending ? (
        <Confirm
          title={`Revoke ${revoking.pending.name}?`}
          confirmLabel="Revoke"
          onConfirm={() => void revoking.confirm(revoke)}
          onClose={revoking.cancel}
        >
          <p>
            It is signed out at once and can send nothing more, and the pairing codes it made are cancelled. Orders it
            has not sent stay on it until it is paired again with a new code.
          </p>
        </Confirm>
      ) : null}
    </ManageSection>
  );
}
