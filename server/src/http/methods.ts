const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a request is a write: it must carry an Idempotency-Key, counts towards the
 * device's rate limit, and may append events.
 */
export function isWrite(method: string): boolean {
  return writeMethods.has(method);
}
