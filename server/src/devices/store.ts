import type { Device, DeviceSummary, OutboxReport, PairingCodeSummary, Role } from '@chit/shared';
import type { RateLimitConfig } from '../config.js';
import type { DbClient, Queryable } from '../db/pool.js';
import { rowMapper } from '../db/row-mapper.js';
import { takeTokenSql } from '../http/rate-limit.js';
import { hashSecret, newPairingCode, newToken } from './tokens.js';

interface DeviceRow {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  app_version: string | null;
}

const deviceFields = ['id', 'name', 'role', 'created_at', 'last_seen_at', 'revoked_at', 'app_version'] as const;
const deviceColumns = deviceFields.join(', ');
const toDevice: (row: DeviceRow) => Device = rowMapper(deviceFields);

/** The device of a token, whether it last reported unsent writes (`touchDevice`), and its storage state. */
export async function findDeviceByToken(
  db: Queryable,
  token: string,
): Promise<{ device: Device; outboxPending: boolean; storagePersisted: boolean | null } | undefined> {
  // Named, so each connection plans this once: it runs on every request.
  const { rows } = await db.query<DeviceRow & { outbox_pending: boolean; storage_persisted: boolean | null }>({
    name: 'device-by-token',
    text: `SELECT ${deviceColumns}, coalesce(outbox_length, 0) > 0 AS outbox_pending, storage_persisted
             FROM devices WHERE token_hash = $1`,
    values: [hashSecret(token)],
  });
  const row = rows[0];
  return row && { device: toDevice(row), outboxPending: row.outbox_pending, storagePersisted: row.storage_persisted };
}

/** What a device says about itself on a request (headers; docs/operations.md#device-health). */
export interface DeviceReport {
  appVersion?: string;
  outbox?: OutboxState;
  storagePersisted?: boolean;
}

/** What a device says about its outbox on a request (`Chit-Outbox-*` headers). */
export interface OutboxState {
  length: number;
  /** Milliseconds the oldest unsent write has waited (0 when there is none). */
  oldestAgeMs: number;
}

/**
 * Last-seen and the outbox report are for the manager's device list; a minute's precision
 * saves a write per request. `now` skips the minute: the outbox turned empty or not.
 */
export async function touchDevice(
  db: Queryable,
  deviceId: string,
  outbox: OutboxState | undefined,
  now = false,
): Promise<void> {
  await db.query(
    `UPDATE devices SET last_seen_at = now(), ${outboxAssignments('$2', '$3')}
      WHERE id = $1 AND ($4::boolean OR last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')`,
    [deviceId, outbox?.length ?? null, outbox?.oldestAgeMs ?? null, now],
  );
}

/** SET clauses recording an outbox report; a request without one leaves the last report. */
function outboxAssignments(length: string, ageMs: string): string {
  return `outbox_length = coalesce(${length}::integer, outbox_length),
          outbox_oldest_at = CASE WHEN ${length}::integer IS NULL THEN outbox_oldest_at
                                  WHEN ${length}::integer = 0 THEN NULL
                                  ELSE now() - ${ageMs}::bigint * interval '1 millisecond' END,
          outbox_reported_at = CASE WHEN ${length}::integer IS NULL THEN outbox_reported_at ELSE now() END`;
}

export async function createDevice(
  db: Queryable,
  name: string,
  role: Role,
): Promise<{ device: Device; token: string }> {
  const token = newToken();
  const { rows } = await db.query<DeviceRow>(
    `INSERT INTO devices (name, role, token_hash) VALUES ($1, $2, $3) RETURNING ${deviceColumns}`,
    [name, role, hashSecret(token)],
  );
  return { device: toDevice(rows[0]!), token };
}

interface SummaryRow extends DeviceRow {
  writes_received: number;
  outbox_length: number | null;
  outbox_wait_seconds: number | null;
  outbox_reported_at: string | null;
  storage_persisted: boolean | null;
}

export async function listDevices(db: Queryable): Promise<DeviceSummary[]> {
  const { rows } = await db.query<SummaryRow>(
    `SELECT ${deviceColumns}, writes_received, outbox_length, outbox_reported_at, storage_persisted,
            floor(extract(epoch FROM outbox_reported_at - outbox_oldest_at))::integer AS outbox_wait_seconds
       FROM devices ORDER BY created_at`,
  );
  return rows.map((row) => ({
    ...toDevice(row),
    writesReceived: row.writes_received,
    outbox: outboxOf(row),
    storagePersisted: row.storage_persisted,
  }));
}

function outboxOf(row: SummaryRow): OutboxReport | null {
  if (row.outbox_length === null || row.outbox_reported_at === null) return null;
  return {
    length: row.outbox_length,
    oldestWaitSeconds: row.outbox_length === 0 ? null : Math.max(0, row.outbox_wait_seconds ?? 0),
    reportedAt: row.outbox_reported_at,
  };
}

/** Records the app version and storage state a device reports when one changed; what it did not say is kept. */
export async function recordReport(
  db: Queryable,
  deviceId: string,
  report: Pick<DeviceReport, 'appVersion' | 'storagePersisted'>,
): Promise<void> {
  await db.query(
    `UPDATE devices SET app_version = coalesce($2, app_version), storage_persisted = coalesce($3, storage_persisted)
      WHERE id = $1`,
    [deviceId, report.appVersion ?? null, report.storagePersisted ?? null],
  );
}

export interface WriteAdmission {
  device: Device;
  /** Whether the device's write bucket had a token for this write. */
  allowed: boolean;
  /** Tokens left in the bucket after this write. */
  tokens: number;
}

/**
 * Everything a write costs before its own work, in one statement: finds the live device
 * by its token, counts the write (refused ones too: the manager's list says what each
 * device sent), records what it reports (app version, outbox, storage), marks it seen, and takes a token from
 * its write bucket. Undefined for an unknown or revoked token (nothing is counted).
 *
 * It commits without waiting for the WAL flush (`synchronous_commit` off for this
 * statement's transaction only): a crash may forget the last moment's counts and tokens,
 * which nobody could tell, and every write skips a flush it does not need.
 */
export async function admitWrite(
  db: Queryable,
  token: string,
  report: DeviceReport,
  limit: RateLimitConfig,
): Promise<WriteAdmission | undefined> {
  const { rows } = await db.query<DeviceRow & { tokens: number; allowed: boolean }>({
    name: 'admit-write',
    text: `WITH device AS (
         UPDATE devices SET writes_received = writes_received + 1, app_version = coalesce($2, app_version),
                            storage_persisted = coalesce($7, storage_persisted),
                            last_seen_at = now(), ${outboxAssignments('$5', '$6')}
          WHERE token_hash = $1 AND revoked_at IS NULL
         RETURNING ${deviceColumns}
       ), bucket AS (
         ${takeTokenSql({ key: `'write:' || device.id`, burst: '$3', perSecond: '$4', from: 'device' })}
       )
       SELECT device.*, bucket.tokens, bucket.allowed, set_config('synchronous_commit', 'off', true)
         FROM device, bucket`,
    values: [
      hashSecret(token),
      report.appVersion ?? null,
      limit.burst,
      limit.perMinute / 60,
      report.outbox?.length ?? null,
      report.outbox?.oldestAgeMs ?? null,
      report.storagePersisted ?? null,
    ],
  });
  const row = rows[0];
  return row && { device: toDevice(row), allowed: row.allowed, tokens: row.tokens };
}

/** NOTIFY channel whose payload is the id of a device just revoked: every instance ends its streams. */
export const deviceRevokedChannel = 'chit_device_revoked';

/**
 * Revokes a device, at once on every instance: tokens are looked up on each request, and
 * the NOTIFY (sent when the caller's transaction commits) makes every instance's event hub
 * end the device's open streams. The pairing codes it made and nobody used are cancelled.
 */
export async function revokeDevice(
  db: Queryable,
  deviceId: string,
  by: { deviceId: string; staffName: string },
): Promise<Device | undefined> {
  const { rows } = await db.query<DeviceRow>(
    `UPDATE devices
        SET revoked_at = coalesce(revoked_at, now()),
            revoked_by_device_id = CASE WHEN revoked_at IS NULL THEN $2 ELSE revoked_by_device_id END,
            revoked_by_staff_name = CASE WHEN revoked_at IS NULL THEN $3 ELSE revoked_by_staff_name END
      WHERE id = $1 RETURNING ${deviceColumns}`,
    [deviceId, by.deviceId, by.staffName],
  );
  if (!rows[0]) return undefined;
  await db.query(
    `UPDATE pairing_codes SET cancelled_at = now(), cancelled_by_device_id = $2, cancelled_by_staff_name = $3
      WHERE created_by = $1 AND used_at IS NULL AND cancelled_at IS NULL`,
    [deviceId, by.deviceId, by.staffName],
  );
  await db.query(`SELECT pg_notify('${deviceRevokedChannel}', $1)`, [deviceId]);
  return toDevice(rows[0]);
}

/** Which of `deviceIds` are revoked (for hubs that may have missed a notification). */
export async function revokedAmong(db: Queryable, deviceIds: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM devices WHERE id = ANY($1::uuid[]) AND revoked_at IS NOT NULL`,
    [deviceIds],
  );
  return rows.map((row) => row.id);
}

export async function hasActiveManager(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM devices WHERE role = 'manager' AND revoked_at IS NULL LIMIT 1`);
  return rows.length > 0;
}

export async function createPairingCode(
  db: Queryable,
  role: Role,
  expiresAt: Date,
  createdBy: string | null,
): Promise<{ id: string; code: string; role: Role; expiresAt: string }> {
  const code = newPairingCode();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO pairing_codes (code_hash, role, expires_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
    [hashSecret(code), role, expiresAt, createdBy],
  );
  return { id: rows[0]!.id, code, role, expiresAt: expiresAt.toISOString() };
}

interface PairingCodeRow {
  id: string;
  role: Role;
  created_at: string;
  expires_at: string;
  created_by: string | null;
  created_by_name: string | null;
  cancelled_at: string | null;
  used_at: string | null;
}

const pairingCodeColumns = `p.id, p.role, p.created_at, p.expires_at, p.created_by, d.name AS created_by_name,
  p.cancelled_at, p.used_at`;

const pairingCodeFields = rowMapper(['id', 'role', 'created_at', 'expires_at', 'cancelled_at']);

function toPairingCodeSummary(row: PairingCodeRow): PairingCodeSummary {
  const createdBy = row.created_by === null ? null : { id: row.created_by, name: row.created_by_name ?? '' };
  return { ...pairingCodeFields(row), createdBy };
}

/** The codes that could still pair a device: unused, not cancelled, not expired at `now`. */
export async function listOpenPairingCodes(db: Queryable, now: Date): Promise<PairingCodeSummary[]> {
  const { rows } = await db.query<PairingCodeRow>(
    `SELECT ${pairingCodeColumns}
       FROM pairing_codes p LEFT JOIN devices d ON d.id = p.created_by
      WHERE p.used_at IS NULL AND p.cancelled_at IS NULL AND p.expires_at > $1
      ORDER BY p.created_at DESC, p.id`,
    [now],
  );
  return rows.map(toPairingCodeSummary);
}

export type CancelOutcome =
  { outcome: 'cancelled'; pairingCode: PairingCodeSummary } | { outcome: 'used' } | { outcome: 'not_found' };

/**
 * Cancels a code nobody has used. Cancelling it again (or an expired one) changes nothing
 * and answers the same; a used code cannot be cancelled (revoke its device instead).
 */
export async function cancelPairingCode(
  db: Queryable,
  id: string,
  by: { deviceId: string; staffName: string },
): Promise<CancelOutcome> {
  const { rows } = await db.query<PairingCodeRow>(
    `WITH cancelled AS (
       UPDATE pairing_codes
          SET cancelled_at = coalesce(cancelled_at, now()),
              cancelled_by_device_id = CASE WHEN cancelled_at IS NULL THEN $2 ELSE cancelled_by_device_id END,
              cancelled_by_staff_name = CASE WHEN cancelled_at IS NULL THEN $3 ELSE cancelled_by_staff_name END
        WHERE id = $1 AND used_at IS NULL
       RETURNING *
     )
     SELECT ${pairingCodeColumns} FROM cancelled p LEFT JOIN devices d ON d.id = p.created_by
     UNION ALL
     SELECT ${pairingCodeColumns} FROM pairing_codes p LEFT JOIN devices d ON d.id = p.created_by
      WHERE p.id = $1 AND p.used_at IS NOT NULL`,
    [id, by.deviceId, by.staffName],
  );
  const row = rows[0];
  if (!row) return { outcome: 'not_found' };
  if (row.used_at !== null) return { outcome: 'used' };
  return { outcome: 'cancelled', pairingCode: toPairingCodeSummary(row) };
}

/**
 * Uses a pairing code up and creates the device it was for, in the caller's transaction.
 * Returns undefined when the code is unknown, used or expired (the caller cannot tell
 * which, and neither should a guesser).
 */
export async function redeemPairingCode(
  client: DbClient,
  code: string,
  deviceName: string,
  now: Date,
): Promise<{ device: Device; token: string } | undefined> {
  const { rows } = await client.query<{ role: Role }>(
    `UPDATE pairing_codes SET used_at = $2
      WHERE code_hash = $1 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $2
      RETURNING role`,
    [hashSecret(code), now],
  );
  const role = rows[0]?.role;
  if (!role) return undefined;
  const created = await createDevice(client, deviceName, role);
  await client.query(`UPDATE pairing_codes SET used_by = $2 WHERE code_hash = $1`, [
    hashSecret(code),
    created.device.id,
  ]);
  return created;
}
