import { Link } from 'wouter';
import { RoleGate } from '../../ui/RoleGate.js';
import { KitchenBoard } from './KitchenBoard.js';

/**
 * `/kitchen`: the board, for a device paired with a kitchen code (or a manager's). Pairing
 * is the waiter app's screen; a waiter tablet is told it needs a kitchen device.
 */
export default function KitchenApp() {
  return (
    <RoleGate
      admits={(role) => role !== 'waiter'}
      pairTitle="Pair this kitchen board"
      defaultDeviceName="Kitchen board"
      refusal={(device) => (
        <>
          <h1>The kitchen board needs a kitchen device</h1>
          <p>
            “{device.name}” is paired as a waiter tablet. Ask a manager for a kitchen pairing code and pair the board’s
            own screen with it.
          </p>
          <p>
            <Link href="~/">Back to the tables</Link>
          </p>
        </>
      )}
    >
      <KitchenBoard />
    </RoleGate>
  );
}
