import { lazy, Suspense } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useServices } from '../app/context.js';
import { useMeta } from '../db/hooks.js';
import { DevicesScreen } from './devices/DevicesScreen.js';
import { MenuEditor } from './menu/MenuEditor.js';
import { TablesEditor } from './tables/TablesEditor.js';
import { TodayScreen } from './today/TodayScreen.js';
import './manage.css';

const PairingScreen = lazy(() =>
  import('../screens/pairing/PairingScreen.js').then((m) => ({ default: m.PairingScreen })),
);

const sections = [
  { path: '/menu', name: 'Menu' },
  { path: '/tables', name: 'Tables' },
  { path: '/devices', name: 'Devices' },
  { path: '/today', name: 'Today' },
];

function ConsoleNav() {
  const [location] = useLocation();
  return (
    <nav className="manage-nav" aria-label="Console">
      {sections.map((s) => (
        <Link
          key={s.path}
          href={s.path}
          className="manage-nav__link"
          aria-current={location === s.path ? 'page' : undefined}
        >
          {s.name}
        </Link>
      ))}
    </nav>
  );
}

/**
 * `/manage`: the manager console, for a device paired with a manager code. Every change is
 * an online request straight to the server (no outbox); tablets hear of it through events.
 */
export default function ManageApp() {
  const { db } = useServices();
  const session = useMeta(db, 'session');
  if (session === undefined) return <main className="screen" aria-busy="true" />;
  if (session === null) {
    return (
      <Suspense fallback={<main className="screen" aria-busy="true" />}>
        <PairingScreen title="Pair the manager console" defaultDeviceName="Manager console" />
      </Suspense>
    );
  }
  if (session.device.role !== 'manager') {
    return (
      <main className="screen">
        <h1>The manager console needs a manager device</h1>
        <p>
          “{session.device.name}” is paired as a {session.device.role === 'kitchen' ? 'kitchen board' : 'waiter tablet'}
          . Open the console on a device paired with a manager code.
        </p>
        <p>
          <Link href={session.device.role === 'kitchen' ? '~/kitchen' : '~/'}>
            {session.device.role === 'kitchen' ? 'Back to the kitchen board' : 'Back to the tables'}
          </Link>
        </p>
      </main>
    );
  }
  return (
    <div className="manage">
      <header className="manage-bar">
        <Link href="~/" className="manage-bar__brand" aria-label="Chit, back to the tables">
          <img src="/icons/favicon-32.png" alt="" width="32" height="32" />
          Chit
        </Link>
        <span className="manage-bar__title">Manager console</span>
        <ConsoleNav />
      </header>
      <main className="screen manage-main">
        <Switch>
          <Route path="/menu" component={MenuEditor} />
          <Route path="/tables" component={TablesEditor} />
          <Route path="/devices" component={DevicesScreen} />
          <Route path="/today" component={TodayScreen} />
          <Route>
            <Redirect to="/menu" replace />
          </Route>
        </Switch>
      </main>
    </div>
  );
}
