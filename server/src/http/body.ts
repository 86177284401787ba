import { limits } from '@chit/shared';

const open = new Set([0x7b, 0x5b]); // { [
const close = new Set([0x7d, 0x5d]); // } ]
const quote = 0x22;

/** The `type` of the error the parser passes on for a body nested too deeply. */
export const tooDeep = 'entity.too.deep';
const backslash = 0x5c;

/**
 * How deeply the JSON text nests, counting `{` and `[` outside strings. A linear scan of
 * the raw bytes, so it cannot itself overflow; in UTF-8 the bytes of a multi-byte
 * character are never ASCII, so they cannot be taken for brackets or quotes.
 */
export function jsonDepth(text: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (inString) {
      if (byte === backslash) i++;
      else if (byte === quote) inString = false;
    } else if (byte === quote) {
      inString = true;
    } else if (open.has(byte)) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (close.has(byte)) {
      depth--;
    }
  }
  return deepest;
}

/**
 * The JSON body parser's `verify` hook: runs on the raw body before it is parsed, so a
 * body nested deeper than any wire shape (thousands of levels overflow the stack of every
 * recursive walk after the parse: fingerprinting, logging) never becomes an object.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (jsonDepth(utf8(body, encoding)) > limits.maxJsonDepth) {
    // body-parser copies its own fields (`body`, `type`) onto what is thrown here, so it
    // is a plain error with a `type` that the error handler maps, like the parser's own.
    throw Object.assign(new Error('JSON body nested too deeply'), { status: 400, type: tooDeep });
  }
}

/** The body as UTF-8 bytes; a charset Node cannot decode (the parser will say so) is scanned as it is. */
function utf8(body: Buffer, encoding: string): Uint8Array {
  if (/^utf-?8$/i.test(encoding)) return body;
  try {
    return Buffer.from(new TextDecoder(encoding).decode(body), 'utf8');
  } catch {
    return body;
  }
}
