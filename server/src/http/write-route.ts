import { RemoveRequest, type RemovalResponse } from '@chit/shared';
import type { Request, RequestHandler, Router } from 'express';
import type { z } from 'zod';
import type { Actor } from '../actor.js';
import type { DbClient } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import { actorOf } from './auth.js';
import { idempotent } from './idempotency.js';
import { parse, type PathId } from './validate.js';

/** A write's body: whatever else it says, it may name the person at the device. */
type WriteBody = z.ZodType<{ staffName?: string | undefined }>;

export interface WriteRoute<S extends WriteBody, Id> {
  /** Reads the row's id from the path, before the body: a path that names no row is a 404 whatever the body. */
  id?: (req: Request) => Id;
  body: S;
  /** What the body is, for a 400's message ("The category is not valid. …"). */
  what: string;
  /** The body may be left out, as `{}`: a removal says nothing but (optionally) who did it. */
  optional?: boolean;
  /** 201 for a write that creates something; 200 otherwise. */
  status?: 200 | 201;
}

/**
 * What the manager's create, change and removal of one kind of row run: the store's usual
 * three functions, with the bodies they take (and what a new one is called in a 400).
 */
export interface RowEdits<C extends WriteBody, P extends WriteBody, T> {
  create: [body: C, (client: DbClient, input: z.output<C>, actor: Actor) => Promise<T>, what: string];
  update: [body: P, (client: DbClient, id: string, patch: z.output<P>, actor: Actor, now: Date) => Promise<T>];
  remove: (client: DbClient, id: string, actor: Actor, now: Date) => Promise<RemovalResponse>;
}

/**
 * The handlers of writes that change one thing (the manager's menu and tables, a waiter's
 * table clear): the path's id, then the body, then `run` at most once per Idempotency-Key in
 * one transaction, as the actor the body names, answering `status` with what `run` returns.
 */
export function writeRoutes({ pool, clock, config }: Pick<AppDeps, 'pool' | 'clock' | 'config'>) {
  function write<S extends WriteBody, Id = undefined>(
    route: WriteRoute<S, Id>,
    run: (client: DbClient, input: z.output<S>, actor: Actor, id: Id) => Promise<object>,
  ): RequestHandler {
    return async (req, res) => {
      // Without `route.id` the type says Id is undefined, and so it is.
      const id = route.id ? route.id(req) : (undefined as Id);
      const input = parse(route.body, route.optional ? (req.body ?? {}) : req.body, route.what);
      await idempotent(pool, req, res, config.idempotencyWaitMs, async (client) => ({
        status: route.status ?? 200,
        body: await run(client, input, actorOf(req, input.staffName), id),
      }));
    };
  }

  /**
   * Mounts `POST path`, `PATCH path/:id` and `DELETE path/:id` behind `guard` (a role check);
   * the answers carry the row under `answer` (`{ table }`).
   */
  function editable<C extends WriteBody, P extends WriteBody, T>(
    router: Router,
    guard: RequestHandler,
    path: string,
    id: PathId,
    answer: string,
    edits: RowEdits<C, P, T>,
  ): void {
    const [createBody, create, what] = edits.create;
    const [updateBody, update] = edits.update;
    const one = `${path}/:${id.param}`;
    router.post(
      path,
      guard,
      write({ body: createBody, what, status: 201 }, async (client, input, actor) => ({
        [answer]: await create(client, input, actor),
      })),
    );
    router.patch(
      one,
      guard,
      write({ id, body: updateBody, what: 'The change' }, async (client, patch, actor, rowId) => ({
        [answer]: await update(client, rowId, patch, actor, clock.now()),
      })),
    );
    router.delete(
      one,
      guard,
      write({ id, body: RemoveRequest, what: 'The removal', optional: true }, (client, _input, actor, rowId) =>
        edits.remove(client, rowId, actor, clock.now()),
      ),
    );
  }

  return { write, editable };
}
