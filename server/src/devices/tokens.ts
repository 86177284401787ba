import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 256 random bits, URL-safe. Only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

// No 0/O, 1/I/L: codes are read off one screen and typed on another.
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Eight characters from a 31-letter alphabet: about 40 bits, single use, short-lived. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return code;
}

/** How pairing codes are shown: two groups of four. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
