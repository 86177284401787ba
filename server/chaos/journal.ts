import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/** A write as the tablet meant it, recorded before its first attempt. */
export interface Intent {
  t: 'intent';
  key: string;
  kind: 'order' | 'patch' | 'void';
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Request headers beyond auth and key (If-Match). */
  headers: Record<string, string>;
  body: unknown;
  orderId: string;
  /** The changed item, for `patch` and `void`. */
  itemId?: string;
}

export interface Attempt {
  t: 'attempt';
  key: string;
  n: number;
}

/** An answer the tablet got; `final` when it will not send the write again. */
export interface Answer {
  t: 'answer';
  key: string;
  status: number;
  final: boolean;
  /** The body as sent (text), so a replay can be compared byte for byte. */
  body: string;
}

export type Entry = Intent | Attempt | Answer;

/**
 * A tablet's durable journal: one append-only file of JSON lines. An intent is on disk
 * (fdatasync) before the write is first sent, and a final answer before the tablet moves
 * on, so a tablet that dies mid-send knows afterwards what it meant and what it was told.
 */
export class Journal {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  append(entry: Entry, durable = false): void {
    writeSync(this.fd, JSON.stringify(entry) + '\n');
    if (durable) fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Every write in a journal file with its attempts and its final answer, if it got one. */
export interface JournalWrite {
  intent: Intent;
  attempts: number;
  /** The status of every answer, in order. */
  statuses: number[];
  final?: Answer;
}

export function readJournal(path: string): JournalWrite[] {
  const writes = new Map<string, JournalWrite>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const entry = JSON.parse(line) as Entry;
    if (entry.t === 'intent') {
      writes.set(entry.key, { intent: entry, attempts: 0, statuses: [] });
      continue;
    }
    const write = writes.get(entry.key);
    if (!write) throw new Error(`${path}: ${entry.t} for unknown key ${entry.key}`);
    if (entry.t === 'attempt') write.attempts = Math.max(write.attempts, entry.n);
    else {
      write.statuses.push(entry.status);
      if (entry.final) write.final = entry;
    }
  }
  return [...writes.values()];
}
