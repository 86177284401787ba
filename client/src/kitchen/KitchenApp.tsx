import { lazy, Suspense } from 'react';
import { Link } from 'wouter';
import { useServices } from '../app/context.js';
import { useMeta } from '../db/hooks.js';
import { KitchenBoard } from './KitchenBoard.js';

const PairingScreen = lazy(() =>
  import('../screens/pairing/PairingScreen.js').then((m) => ({ default: m.PairingScreen })),
);

/**
 * `/kitchen`: the board, for a device paired with a kitchen code (or a manager's). Pairing
 * is the waiter app's screen; a waiter tablet is told it needs a kitchen device.
 */
export default function KitchenApp() {
  const { db } = useServices();
  const session = useMeta(db, 'session');
  if (session === undefined) return <main className="screen" aria-busy="true" />;
  if (session === null) {
    return (
      <Suspense fallback={<main className="screen" aria-busy="true" />}>
        <PairingScreen title="Pair this kitchen board" defaultDeviceName="Kitchen board" />
      </Suspense>
    );
  }
  if (session.device.role === 'waiter') {
    return (
      <main className="screen">
        <h1>The kitchen board needs a kitchen device</h1>
        <p>
          “{session.device.name}” is paired as a waiter tablet. Ask a manager for a kitchen pairing code and pair the
          board’s own screen with it.
        </p>
        <p>
          <Link href="~/">Back to the tables</Link>
        </p>
      </main>
    );
  }
  return <KitchenBoard />;
}
