import type { Device } from '@chit/shared';
import type { ReactNode } from 'react';
import { useServices } from './context.js';
import { useMeta } from '../db/hooks.js';
import { lazyPart } from './lazyPart.js';

const loading = <main className="screen" aria-busy="true" />;

const PairingScreen = lazyPart(() => import('./pairing/PairingScreen.js').then((m) => m.PairingScreen), { loading });

/**
 * The door of an app for one kind of device (the kitchen board, the manager console):
 * pairing when this device is not paired yet, `refusal` when it is paired for something
 * else, the app itself otherwise. Only lazy apps import it, so it stays out of the
 * waiter's first download.
 */
export function RoleGate(props: {
  admits: (role: Device['role']) => boolean;
  pairTitle: string;
  defaultDeviceName: string;
  refusal: (device: Device) => ReactNode;
  children: ReactNode;
}) {
  const { db } = useServices();
  const session = useMeta(db, 'session');
  if (session === undefined) return loading;
  if (session === null) {
    return <PairingScreen title={props.pairTitle} defaultDeviceName={props.defaultDeviceName} />;
  }
  if (!props.admits(session.device.role)) return <main className="screen">{props.refusal(session.device)}</main>;
  return props.children;
}
