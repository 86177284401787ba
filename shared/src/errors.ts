import { z } from 'zod';

/**
 * Every error code the API can answer with. Clients switch on these, so a code, once
 * shipped, keeps its meaning; add new ones rather than reuse old ones.
 */
export const errorCodes = [
  'validation_failed',
  'malformed_json',
  'body_too_deep',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'forbidden',
  'not_found',
  'table_not_found',
  'item_not_found',
  'order_not_found',
  'table_has_open_items',
  'table_number_taken',
  'category_not_found',
  'category_not_empty',
  'modifier_group_not_found',
  'menu_item_not_found',
  'menu_item_unavailable',
  'menu_order_stale',
  'modifier_choice_invalid',
  'illegal_transition',
  'item_already_cooking',
  'version_conflict',
  'order_exists',
  'allergy_not_flagged',
  'idempotency_key_missing',
  'idempotency_key_invalid',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'pairing_code_invalid',
  'pairing_code_not_found',
  'pairing_code_used',
  'rate_limited',
  'request_timeout',
  'catalog_changing',
  'unit_price_negative',
  'precondition_failed',
  'range_not_satisfiable',
  'database_unavailable',
  'internal_error',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
    /** With `version_conflict`: the item as it is now, so the client can merge and retry. */
    current: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Turns zod issues into the `details` of a `validation_failed` answer. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}
