import { z } from 'zod';
import { Text, Timestamp } from './text.js';
import { idAndName, minutesUpToADay } from './fields.js';

export const Role = z.enum(['waiter', 'kitchen', 'manager']);
export type Role = z.infer<typeof Role>;

export const Device = z.object({
  ...idAndName,
  role: Role,
  createdAt: Timestamp,
  lastSeenAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  /** The app version the device last reported in `Chit-App-Version`. */
  appVersion: z.string().nullable(),
});
export type Device = z.infer<typeof Device>;

/** What a device last reported about its outbox (headers on its requests). */
export const OutboxReport = z.object({
  /** Writes it held unsent. */
  length: z.number().int().min(0),
  /** How long the oldest of them had waited when it said so; null when none was waiting. */
  oldestWaitSeconds: z.number().int().min(0).nullable(),
  reportedAt: Timestamp,
});
export type OutboxReport = z.infer<typeof OutboxReport>;

/** `GET /api/devices`: a device as the manager's list shows it. */
export const DeviceSummary = Device.extend({
  /** Write requests received from this device (accepted or not). */
  writesReceived: z.number().int().min(0),
  /** Null until the device has reported its outbox (apps before this field never do). */
  outbox: OutboxReport.nullable(),
  /**
   * Whether the browser keeps the device's storage (its outbox) under storage pressure, as it
   * last said in `Chit-Storage-Persisted`; null until it has said.
   */
  storagePersisted: z.boolean().nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummary>;

/** When the console and the alerts call a device unwell. */
export const deviceHealthLimits = {
  /** Its oldest unsent write has waited longer than this. */
  writesStuckSeconds: 120,
  /** It has sent nothing for this long (a device that was never seen is not flagged). */
  notSeenSeconds: 300,
} as const;

export interface DeviceHealth {
  writesStuck: boolean;
  notSeen: boolean;
}

/** The console's flags for one device; revoked devices are never flagged. */
export function deviceHealth(
  device: Pick<DeviceSummary, 'lastSeenAt' | 'revokedAt' | 'outbox'>,
  now: Date,
): DeviceHealth {
  if (device.revokedAt !== null) return { writesStuck: false, notSeen: false };
  const wait = device.outbox?.oldestWaitSeconds ?? null;
  const seen = device.lastSeenAt === null ? null : Date.parse(device.lastSeenAt);
  return {
    writesStuck: wait !== null && wait > deviceHealthLimits.writesStuckSeconds,
    notSeen: seen !== null && now.getTime() - seen > deviceHealthLimits.notSeenSeconds * 1000,
  };
}

export const DevicesResponse = z.object({
  devices: z.array(DeviceSummary),
  /**
   * The app build the server serves now (`version.json` of the built client), against which
   * each device's `appVersion` is judged (`appVersionStatus`); null when it serves none.
   */
  currentAppVersion: z.string().nullable(),
});
export type DevicesResponse = z.infer<typeof DevicesResponse>;

export const PairRequest = z.object({
  code: Text.trim()
    .min(4, 'Enter the pairing code shown on the manager screen.')
    .max(32)
    .transform((code) => code.toUpperCase().replace(/[\s-]/g, '')),
  deviceName: Text.trim().min(1, 'Give this device a name.').max(60),
});
export type PairRequest = z.input<typeof PairRequest>;

export const PairResponse = z.object({
  token: z.string(),
  device: Device,
});
export type PairResponse = z.infer<typeof PairResponse>;

export const CreatePairingCodeRequest = z.object({
  role: Role,
  /** How long the code may be exchanged, in minutes. */
  ttlMinutes: minutesUpToADay(z.number(), 1),
});
export type CreatePairingCodeRequest = z.input<typeof CreatePairingCodeRequest>;

export const PairingCode = z.object({
  /** Names the code in `GET /api/pairing-codes` and `DELETE /api/pairing-codes/:id`. */
  id: z.uuid(),
  code: z.string(),
  role: Role,
  expiresAt: Timestamp,
  /** What the QR code encodes: the app's pairing page with the code filled in. */
  pairUrl: z.url(),
});
export type PairingCode = z.infer<typeof PairingCode>;

/**
 * A pairing code as the manager's list shows it: without the code itself, which the
 * server keeps only as a hash (it is shown once, when made).
 */
export const PairingCodeSummary = z.object({
  id: z.uuid(),
  role: Role,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  /** The device that made it; null for codes made on the server's command line. */
  createdBy: z.object(idAndName).nullable(),
  /** Set once a manager cancelled it, or revoked the device that made it. */
  cancelledAt: Timestamp.nullable(),
});
export type PairingCodeSummary = z.infer<typeof PairingCodeSummary>;

/** `GET /api/pairing-codes`: the codes that could still pair a device (unused, not expired, not cancelled). */
export const PairingCodesResponse = z.object({ pairingCodes: z.array(PairingCodeSummary) });
export type PairingCodesResponse = z.infer<typeof PairingCodesResponse>;

/** `DELETE /api/pairing-codes/:pairingCodeId`: the code, cancelled. */
export const PairingCodeResponse = z.object({ pairingCode: PairingCodeSummary });
export type PairingCodeResponse = z.infer<typeof PairingCodeResponse>;

/** `GET /api/me`: who the bearer token belongs to. */
export const MeResponse = z.object({ device: Device });
export type MeResponse = z.infer<typeof MeResponse>;
