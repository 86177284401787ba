import type { Pool } from '../db/pool.js';
import { transaction } from '../db/transaction.js';
import { createPairingCode, hasActiveManager } from '../devices/store.js';
import { formatPairingCode } from '../devices/tokens.js';
import type { Clock } from '../clock.js';

/**
 * While no manager device exists, every start makes a fresh pairing code for one, valid
 * for a day, so the person who installed Chit can sign the first tablet in.
 */
export async function firstManagerCode(pool: Pool, clock: Clock): Promise<string | undefined> {
  return transaction(pool, async (client) => {
    if (await hasActiveManager(client)) return undefined;
    const expiresAt = new Date(clock.now().getTime() + 24 * 60 * 60_000);
    const { code } = await createPairingCode(client, 'manager', expiresAt, null);
    return formatPairingCode(code);
  });
}
