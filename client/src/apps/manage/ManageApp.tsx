import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { RoleGate } from '../../ui/RoleGate.js';
import { DevicesScreen } from './devices/DevicesScreen.js';
import { MenuEditor } from './menu/MenuEditor.js';
import { TablesEditor } from './tables/TablesEditor.js';
import { TodayScreen } from './today/TodayScreen.js';
import './manage.css';

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
  return (
    <RoleGate
      admits={(role) => role === 'manager'}
      pairTitle="Pair the manager console"
      defaultDeviceName="Manager console"
      refusal={(device) => (
        <>
          <h1>The manager console needs a manager device</h1>
          <p>
            “{device.name}” is paired as a {device.role === 'kitchen' ? 'kitchen board' : 'waiter tablet'}. Open the
            console on a device paired with a manager code.
          </p>
          <p>
            <Link href={device.role === 'kitchen' ? '~/kitchen' : '~/'}>
              {device.role === 'kitchen' ? 'Back to the kitchen board' : 'Back to the tables'}
            </Link>
          </p>
        </>
      )}
    >
      <Console />
    </RoleGate>
  );
}

function Console() {
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
