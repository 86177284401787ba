/**
 * Every kind of write this device makes, by name. An outbox entry stores `{ name, args }`;
 * everything else about a write (its local effect, its request, its answer, its refusal)
 * is looked up here. To add one, see docs/client.md "Adding a mutation".
 */
import { setReplay } from '../merge.js';
import type { ChitDb, ItemRow, OutboxEntry } from '../schema.js';
import { mutation as ackAllergy } from './ackAllergy.js';
import { mutation as bumpItem } from './bumpItem.js';
import { mutation as clearTable } from './clearTable.js';
import { mutation as createOrder } from './createOrder.js';
import type { Ctx, MutationDef, Scope, WireRequest } from './define.js';
import { mutation as patchItem } from './patchItem.js';
import { mutation as setAvailability } from './setAvailability.js';
import { mutation as voidItem } from './voidItem.js';

export const mutations = { createOrder, patchItem, voidItem, bumpItem, setAvailability, clearTable, ackAllergy };

type Registry = typeof mutations;
export type MutationName = keyof Registry;
type ArgsOf<D> = D extends { request(args: infer Args): WireRequest } ? Args : never;

/** What an outbox entry holds: a mutation's name and its arguments, one variant per mutation. */
export type Mutation = { [N in MutationName]: { name: N; args: ArgsOf<Registry[N]> } }[MutationName];
/** What a screen passes to `mutate(name, input)`, and what it gets back. */
export type MutationInput<N extends MutationName> = Parameters<Registry[N]['apply']>[2];
export type MutationResult<N extends MutationName> = Awaited<ReturnType<Registry[N]['apply']>>;

/**
 * A definition with its arguments' type erased: the name of an entry's mutation picks a
 * definition of those very arguments, which TypeScript cannot correlate across the union.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: args are matched by name
export type AnyMutationDef = MutationDef<string, any, any, unknown, any>;

export function definitionOf(mutation: Mutation): AnyMutationDef {
  return mutations[mutation.name] as AnyMutationDef;
}

/** Runs a mutation's local write (see `MutationDef.apply`): what `SyncEngine.mutate` does before sending. */
export function applyMutation<N extends MutationName>(
  db: ChitDb,
  ctx: Ctx & { staffName: string },
  name: N,
  input: MutationInput<N>,
): Promise<MutationResult<N>> {
  return (mutations[name] as AnyMutationDef).apply(db, ctx, input) as Promise<MutationResult<N>>;
}

export function requestOf(mutation: Mutation): WireRequest {
  return definitionOf(mutation).request(mutation.args);
}

export function scopeOf(mutation: Mutation): Scope {
  return definitionOf(mutation).scope(mutation.args);
}

/** The kitchen's writes (bumps, 86s): a refusal drops them, with a notice, rather than parking them. */
export function dropsOnRefusal(entry: OutboxEntry): boolean {
  return definitionOf(entry.mutation).refusal === 'drop';
}

/** How a waiting write shows on an item, by its mutation's name (rebase, in db/merge.ts, replays these). */
export function replayOnItem(row: ItemRow, mutation: Mutation): ItemRow {
  return definitionOf(mutation).onItem?.(row, mutation.args) ?? row;
}

// db/merge.ts cannot import this module (every mutation imports it); it gets the replay here.
setReplay(replayOnItem);
