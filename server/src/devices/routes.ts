import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreatePairingCodeRequest, PairRequest, RemoveRequest } from '@chit/shared';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.js';
import { transaction } from '../db/transaction.js';
import { deviceOf, requireRole } from '../http/auth.js';
import { Conflict, HttpError, NotFound } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { parse, uuidParam } from '../http/validate.js';
import {
  cancelPairingCode,
  createPairingCode,
  listDevices,
  listOpenPairingCodes,
  redeemPairingCode,
  revokeDevice,
} from './store.js';
import { formatPairingCode } from './tokens.js';

/**
 * Pairing is the one write without an Idempotency-Key: the device has no identity yet to
 * scope a key to, and replaying the answer would mean storing the token in clear. A lost
 * answer costs the manager one more code.
 */
export function pairingRoutes({ pool, clock }: AppDeps): Router {
  const router = Router();
  router.post('/pair', async (req, res) => {
    const input = parse(PairRequest, req.body, 'The pairing request');
    const paired = await transaction(pool, (client) =>
      redeemPairingCode(client, input.code, input.deviceName, clock.now()),
    );
    if (!paired) {
      throw new HttpError(
        400,
        'pairing_code_invalid',
        'That pairing code is unknown, used or expired. Ask a manager for a new one.',
      );
    }
    res.status(201).json(paired);
  });
  return router;
}

/**
 * The link a QR code on the manager's screen carries: the app's pairing page with the code
 * filled in, on the address the manager's device reached us at (or PUBLIC_URL).
 */
function pairUrl(req: Request, publicUrl: string | undefined, code: string): string {
  const origin = publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${origin}/pair?code=${encodeURIComponent(code)}`;
}

/**
 * The app build this server serves: `version.json`, which the client build writes beside
 * the app with the same string its requests carry in `Chit-App-Version`. Read on each call
 * (a manager's list, every 30 s), so a new build dropped in place counts at once; null when
 * there is no build or the file is unreadable.
 */
async function currentAppVersion(clientDist: string): Promise<string | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(clientDist, 'version.json'), 'utf8'));
    const version = (parsed as { version?: unknown } | null)?.version;
    return typeof version === 'string' && version.length > 0 ? version : null;
  } catch {
    return null;
  }
}

export function deviceRoutes({ pool, clock, config }: AppDeps): Router {
  const router = Router();

  router.get('/me', (req, res) => {
    res.json({ device: deviceOf(req) });
  });

  router.get('/devices', requireRole('manager'), async (_req, res) => {
    const [devices, current] = await Promise.all([listDevices(pool), currentAppVersion(config.clientDist)]);
    res.json({ devices, currentAppVersion: current });
  });

  router.post('/pairing-codes', requireRole('manager'), async (req, res) => {
    const input = parse(CreatePairingCodeRequest, req.body, 'The pairing code request');
    await idempotent(pool, req, res, config.idempotencyWaitMs, async (client) => {
      const expiresAt = new Date(clock.now().getTime() + input.ttlMinutes * 60_000);
      const created = await createPairingCode(client, input.role, expiresAt, deviceOf(req).id);
      const code = formatPairingCode(created.code);
      return { status: 201, body: { ...created, code, pairUrl: pairUrl(req, config.publicUrl, code) } };
    });
  });

  router.get('/pairing-codes', requireRole('manager'), async (_req, res) => {
    res.json({ pairingCodes: await listOpenPairingCodes(pool, clock.now()) });
  });

  router.delete('/pairing-codes/:pairingCodeId', requireRole('manager'), async (req, res) => {
    const notFound = () =>
      new NotFound('pairing_code_not_found', `There is no pairing code ${String(req.params.pairingCodeId)}.`);
    const id = uuidParam(req.params.pairingCodeId, notFound);
    const input = parse(RemoveRequest, req.body ?? {}, 'The cancellation');
    await idempotent(pool, req, res, config.idempotencyWaitMs, async (client) => {
      const cancelled = await cancelPairingCode(client, id, {
        deviceId: deviceOf(req).id,
        staffName: input.staffName ?? '',
      });
      if (cancelled.outcome === 'not_found') throw notFound();
      if (cancelled.outcome === 'used') {
        throw new Conflict(
          'pairing_code_used',
          'That pairing code has already paired a device; revoke the device instead.',
        );
      }
      return { status: 200, body: { pairingCode: cancelled.pairingCode } };
    });
  });

  router.delete('/devices/:deviceId', requireRole('manager'), async (req, res) => {
    const deviceId = uuidParam(
      req.params.deviceId,
      () => new NotFound('not_found', `There is no device ${String(req.params.deviceId)}.`),
    );
    // Nothing to say about a revocation but (optionally) who did it; anything else is a mistake.
    const input = parse(RemoveRequest, req.body ?? {}, 'The revocation');
    await idempotent(pool, req, res, config.idempotencyWaitMs, async (client) => {
      const device = await revokeDevice(client, deviceId, {
        deviceId: deviceOf(req).id,
        staffName: input.staffName ?? '',
      });
      if (!device) throw new NotFound('not_found', `There is no device ${deviceId}.`);
      return { status: 200, body: { device } };
    });
  });

  return router;
}
