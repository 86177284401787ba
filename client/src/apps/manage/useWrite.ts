import { useCallback, useEffect, useRef, useState } from 'react';
import { useServices } from '../../ui/context.js';
import { useMeta } from '../../db/hooks.js';
import type { ApiResult } from '../../sync/api.js';
import { ManagerApi } from '../../sync/manager-api.js';
import { verdictOf } from '../../sync/outbox.js';

/**
 * Manager writes are online operations: no outbox. Each user action gets a fresh
 * Idempotency-Key; the same action tried again after a network error or a "try again"
 * answer (a 503 while PostgreSQL restarts: it may or may not have happened) reuses its
 * key, so the server applies it once. After a final answer (a refusal is kept with its
 * key) the next try is a new action with a new key.
 */
export function useWrite() {
  const { engine, db } = useServices();
  const staffName = useMeta(db, 'staffName') ?? '';
  const pending = useRef<{ signature: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = useCallback(
    async <T>(action: unknown, call: (api: ManagerApi, key: string) => Promise<ApiResult<T>>): Promise<T | null> => {
      const signature = JSON.stringify(action);
      const key = pending.current?.signature === signature ? pending.current.key : crypto.randomUUID();
      pending.current = null;
      setBusy(true);
      setError(null);
      const result = await call(new ManagerApi(engine.online), key);
      setBusy(false);
      if (result.kind === 'ok') return result.data;
      if (result.kind === 'network') {
        pending.current = { signature, key };
        setError(`No answer from the server (${result.message}). Check the connection and try again.`);
        return null;
      }
      if (verdictOf(result) === 'retry') pending.current = { signature, key };
      setError(result.error.message);
      return null;
    },
    [engine],
  );

  /** `{ staffName }` for a write's body, when someone said who is at the console. */
  const who = staffName ? { staffName } : {};
  return { run, error, setError, busy, who };
}

/**
 * Something a manager is asked to confirm first (a device to revoke, a table to remove): the
 * dialog shows while `pending` is set; `confirm` closes it and runs the action on it once.
 */
export function useConfirm<T>() {
  const [pending, setPending] = useState<T | null>(null);
  const confirm = async (action: (target: T) => Promise<unknown>) => {
    if (pending === null) return;
    setPending(null);
    await action(pending);
  };
  return { pending, ask: setPending, cancel: () => setPending(null), confirm };
}

/** Loads something the console shows; `reload` after a write. */
export function useLoad<T>(load: (api: ManagerApi) => Promise<ApiResult<T>>) {
  const { engine } = useServices();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    const result = await loadRef.current(new ManagerApi(engine.online));
    if (result.kind === 'ok') {
      setData(result.data);
      setError(null);
    } else {
      setError(result.kind === 'network' ? `Could not reach the server: ${result.message}` : result.error.message);
    }
  }, [engine]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** "12.50" or "12,50" → 1250; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  const clean = text.trim().replace(',', '.').replace(/^€\s*/, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(clean)) return null;
  return Math.round(Number(clean) * 100);
}

export function euros(cents: number): string {
  return (cents / 100).toFixed(2);
}
