import { useState, type FormEvent } from 'react';
import { useServices } from '../context.js';
import { useMeta } from '../../db/hooks.js';
import type { ChitDb } from '../../db/schema.js';
import { ErrorNote, TextField } from '../forms.js';
import './PairingScreen.css';

/**
 * A name this device remembers (`key` in meta): the saved one until the person types another.
 * The props of its text field.
 */
function useSavedName(db: ChitDb, key: 'deviceName' | 'staffName') {
  const saved = useMeta(db, key);
  const [typed, setTyped] = useState<string | null>(null);
  return { name: key, value: typed ?? saved ?? '', onChange: setTyped, maxLength: 60 };
}

/** Entered once per device: the code from the manager's screen turns into a token kept on the tablet. */
export function PairingScreen({
  title = 'Pair this tablet',
  defaultDeviceName = 'Waiter tablet',
}: { title?: string; defaultDeviceName?: string } = {}) {
  const { db, engine } = useServices();
  const reason = useMeta(db, 'signedOutReason');
  const device = useSavedName(db, 'deviceName');
  const staff = useSavedName(db, 'staffName');
  // A pairing link from the manager's QR code (`/pair?code=ABCD-EFGH`) fills the code in.
  const [code, setCode] = useState(() => new URLSearchParams(window.location.search).get('code') ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await engine.pair(code, device.value || defaultDeviceName, staff.value);
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  return (
    <main className="pairing">
      <form className="pairing__card form-card" onSubmit={(e) => void submit(e)} aria-labelledby="pairing-title">
        <h1 id="pairing-title">{title}</h1>
        {reason ? (
          <p className="pairing__notice" role="alert">
            {reason} Orders not yet sent stay on this tablet and go out once it is paired again.
          </p>
        ) : (
          <p>Ask a manager for a pairing code. You only do this once per tablet.</p>
        )}
        <details className="pairing__first">
          <summary>Setting up Chit for the first time?</summary>
          <p>
            The code for the first manager tablet is printed by the server when it starts, in a line that reads “First
            start: pair the manager tablet with code …”. On the server you can also make one with{' '}
            <code>pnpm chit pair --role manager</code>.
          </p>
        </details>
        <TextField
          label="Pairing code"
          name="code"
          value={code}
          onChange={setCode}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          inputMode="text"
          required
          minLength={4}
          className="pairing__code"
        />
        <TextField label="Tablet name" {...device} placeholder="e.g. Terrace tablet" />
        <TextField label="Your name" {...staff} autoComplete="name" />
        <ErrorNote error={error} />
        <button type="submit" className="button button--primary button--large" disabled={busy || code.trim() === ''}>
          {busy ? 'Pairing…' : 'Pair tablet'}
        </button>
      </form>
    </main>
  );
}
