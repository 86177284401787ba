import type { z } from 'zod';
import { type Role } from '../devices.js';
import { RemovalResponse, RemoveRequest } from '../menu-edit.js';

/** One route of the HTTP API with the shared schemas of what it reads and answers. */
export interface ApiRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path under /api, e.g. `/orders/:orderId`. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it: no token, any paired device, or these roles (a manager may do everything). */
  roles: 'public' | 'any' | readonly Role[];
  body?: z.ZodType;
  /** DELETE bodies may be left out. */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  ifMatch?: boolean;
  /** Success answers by status; errors are always an `ErrorBody`. */
  responses: Record<number, { description: string; schema: z.ZodType; contentType?: string }>;
}

export const ok = (schema: z.ZodType, description = 'OK') => ({ 200: { description, schema } });
export const created = (schema: z.ZodType, description = 'Created') => ({ 201: { description, schema } });
export const manager = ['manager'] as const;

/** A manager's removal: DELETE with an optional `RemoveRequest` (who did it), answered with the outcome. */
export const removal = (path: string, summary: string, tag: string): ApiRoute => ({
  method: 'delete',
  path,
  summary,
  tag,
  roles: manager,
  body: RemoveRequest,
  bodyOptional: true,
  responses: ok(RemovalResponse, 'Deleted, or archived when something refers to it'),
});
