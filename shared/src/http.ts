import { z } from 'zod';

// Header names live in plain.ts (no zod), for the client's first screen.
export { headers } from './plain.js';

/** Limits that both sides must agree on. */
export const limits = {
  /** Idempotency keys are opaque strings the client makes; UUIDs fit easily. */
  idempotencyKeyMaxLength: 255,
  maxItemsPerOrder: 50,
  maxQuantity: 99,
  maxNoteLength: 200,
  /** An allergy's free text ("severe nut allergy, no shared fryer"). */
  maxAllergyNoteLength: 120,
  maxAllergenLength: 40,
  maxOrderNoteLength: 500,
  maxStaffNameLength: 60,
  maxAddressLength: 200,
  maxNameLength: 60,
  maxAllergens: 20,
  maxAppVersionLength: 40,
  maxModifiersPerItem: 20,
  /** Request bodies above this are refused with 413 before they are parsed. */
  maxBodyBytes: 64 * 1024,
  /** JSON bodies nested deeper than this (objects and arrays) are refused with 400 `body_too_deep`. */
  maxJsonDepth: 32,
} as const;

/** `GET /api/health`. Other fields may join `ok` (readiness); clients read only what they know. */
export const HealthResponse = z.looseObject({ ok: z.boolean() });
export type HealthResponse = z.infer<typeof HealthResponse>;
