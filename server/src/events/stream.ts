import type { Response } from 'express';
import { matches, type EventFilter, type Frame } from './frames.js';

// One open event stream: what the hub knows of it, and how frames are written to it.

export interface Subscriber {
  res: Response;
  filter: EventFilter;
  /** Highest position written to (or deliberately skipped for) this stream: nothing at or below it is sent again. */
  sent: number;
  /** Live frames held back while the stream catches up from the table; null once live. */
  backlog: Frame[] | null;
  closed: boolean;
  /** Asked for new orders in their compact form (`compactOrder`). */
  compact: boolean;
  /** The device whose token opened the stream: its revocation ends the stream. */
  deviceId: string | null;
}

export const textOf = (sub: Subscriber, frame: Frame) => (sub.compact ? frame.compactText : frame.text);

/**
 * What `sub` is to be sent of `frames` (those past `sub.sent` that its filter wants), and
 * the last position they cover: a frame it does not want still moves `sent` past it.
 */
export function pendingText(sub: Subscriber, frames: readonly Frame[]): { text: string; last: number } {
  let text = '';
  let last = sub.sent;
  for (const frame of frames) {
    if (frame.position <= sub.sent) continue;
    last = frame.position;
    if (matches(sub.filter, frame)) text += textOf(sub, frame);
  }
  return { text, last };
}

/** Starts the event stream's response: no buffering anywhere on the way. */
export function openStream(res: Response): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    // no-transform: proxies must not compress (and so buffer) the stream either.
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.socket?.setNoDelay(true);
}

/**
 * Resolves when the socket wants more, or is gone. Both listeners go either way: a
 * catch-up waits once per page, and `Promise.race` of two `once()`s left one behind each time.
 */
export function drainOrClose(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
