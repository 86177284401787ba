import { z } from 'zod';
import { Text } from './text.js';

export const Role = z.enum(['waiter', 'kitchen', 'manager']);
export type Role = z.infer<typeof Role>;

export const Device = z.object({
  id: z.uuid(),
  name: z.string(),
  role: Role,
  createdAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The app version the device last reported in `Chit-App-Version`. */
  appVersion: z.string().nullable(),
});
export type Device = z.infer<typeof Device>;

/** `GET /api/devices`: a device as the manager's list shows it. */
export const DeviceSummary = Device.extend({
  /** Write requests received from this device (accepted or not). */
  writesReceived: z.number().int().min(0),
});
export type DeviceSummary = z.infer<typeof DeviceSummary>;

export const DevicesResponse = z.object({ devices: z.array(DeviceSummary) });
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
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});
export type CreatePairingCodeRequest = z.input<typeof CreatePairingCodeRequest>;

export const PairingCode = z.object({
  code: z.string(),
  role: Role,
  expiresAt: z.iso.datetime({ offset: true }),
  /** What the QR code encodes: the app's pairing page with the code filled in. */
  pairUrl: z.url(),
});
export type PairingCode = z.infer<typeof PairingCode>;

/** `GET /api/me`: who the bearer token belongs to. */
export const MeResponse = z.object({ device: Device });
export type MeResponse = z.infer<typeof MeResponse>;
