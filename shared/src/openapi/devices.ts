import { z } from 'zod';
import {
  CreatePairingCodeRequest,
  Device,
  DevicesResponse,
  MeResponse,
  PairingCode,
  PairingCodeResponse,
  PairingCodesResponse,
  PairRequest,
  PairResponse,
} from '../devices.js';
import { HealthResponse, headers, limits } from '../http.js';
import { RemoveRequest } from '../menu-edit.js';
import { type ApiRoute, ok, created, manager } from './route.js';

/**
 * What the app says about itself on every request, for the manager's Devices page
 * (docs/operations.md#device-health). Optional, and a malformed value is ignored, never refused.
 */
export const deviceHeaders = [
  {
    name: headers.appVersion,
    in: 'header',
    required: false,
    description:
      'The app build making the request, `<version>+<build time>.<commit>` (e.g. `0.1.0+20261130T190337Z.c7d3d31`); ' +
      '`GET /api/devices` compares it with `currentAppVersion`.',
    schema: { type: 'string', maxLength: limits.maxAppVersionLength },
  },
  {
    name: headers.outboxLength,
    in: 'header',
    required: false,
    description: 'Writes the device holds unsent (refused ones included).',
    schema: { type: 'string', pattern: '^\\d{1,9}$' },
  },
  {
    name: headers.outboxOldestAge,
    in: 'header',
    required: false,
    description: 'Whole seconds the oldest of them has waited (0 when there is none).',
    schema: { type: 'string', pattern: '^\\d{1,9}$' },
  },
  {
    name: headers.storagePersisted,
    in: 'header',
    required: false,
    description:
      'Whether the browser marked the device’s storage persistent (`navigator.storage.persisted()`): `false` ' +
      'while it may clear the outbox under storage pressure; `GET /api/devices` shows it as `storagePersisted`.',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
];

/** Health, pairing and the devices. */
export const deviceRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Whether the server and its database answer',
    tag: 'Server',
    roles: 'public',
    responses: ok(HealthResponse),
  },
  {
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: this process answers (restart it when not)',
    tag: 'Server',
    roles: 'public',
    responses: ok(HealthResponse),
  },
  {
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness: this instance can write to its database now (send it traffic only then)',
    tag: 'Server',
    roles: 'public',
    responses: {
      ...ok(HealthResponse, 'The database is writable'),
      503: { description: 'The database is read-only or cannot be reached', schema: HealthResponse },
    },
  },
  {
    method: 'post',
    path: '/pair',
    summary: 'Exchange a pairing code for a device token',
    tag: 'Devices',
    roles: 'public',
    body: PairRequest,
    responses: created(PairResponse, 'Paired'),
  },
  {
    method: 'get',
    path: '/me',
    summary: 'The device the token belongs to',
    tag: 'Devices',
    roles: 'any',
    responses: ok(MeResponse),
  },
  {
    method: 'get',
    path: '/devices',
    summary: 'Every device, with its health',
    tag: 'Devices',
    roles: manager,
    responses: ok(DevicesResponse),
  },
  {
    method: 'post',
    path: '/pairing-codes',
    summary: 'A pairing code (with QR link) for a new device',
    tag: 'Devices',
    roles: manager,
    body: CreatePairingCodeRequest,
    responses: created(PairingCode),
  },
  {
    method: 'get',
    path: '/pairing-codes',
    summary: 'Pairing codes not yet used, cancelled or expired (without the codes themselves)',
    tag: 'Devices',
    roles: manager,
    responses: ok(PairingCodesResponse),
  },
  {
    method: 'delete',
    path: '/pairing-codes/:pairingCodeId',
    summary: 'Cancel an open pairing code (409 pairing_code_used once a device paired with it)',
    tag: 'Devices',
    roles: manager,
    body: RemoveRequest,
    bodyOptional: true,
    responses: ok(PairingCodeResponse),
  },
  {
    method: 'delete',
    path: '/devices/:deviceId',
    summary: 'Revoke a device at once',
    tag: 'Devices',
    roles: manager,
    body: RemoveRequest,
    bodyOptional: true,
    responses: ok(z.object({ device: Device })),
  },
];
