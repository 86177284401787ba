import { Suspense, useState } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { SyncBadge } from '../ui/SyncBadge.js';
import { UpdateBanner } from '../ui/UpdateBanner.js';
import { useMeta } from '../db/hooks.js';
import { appRoutes, waiterRoutes } from './routes.js';
import { useServices } from '../ui/context.js';
import { Contained, lazyPart } from '../ui/lazyPart.js';

// Not needed for the first paint: its own small chunk, precached like the screens.
const StaffDialog = lazyPart(() => import('./StaffDialog.js').then((m) => m.default));
const ReadyNotice = lazyPart(() => import('../ui/ReadyNotice.js').then((m) => m.default), { quiet: true });
const PairingScreen = lazyPart(() => import('../ui/pairing/PairingScreen.js').then((m) => m.PairingScreen), {
  loading: <main className="screen" aria-busy="true" />,
});

function StaffButton() {
  const { db } = useServices();
  const staff = useMeta(db, 'staffName');
  const [editing, setEditing] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button--ghost topbar__staff"
        onClick={() => setEditing(true)}
        aria-label={staff ? `Staff: ${staff}. Change name or ready alerts` : 'Set your name and ready alerts'}
      >
        {staff || 'Set your name'}
      </button>
      {editing ? <StaffDialog initial={staff ?? ''} onClose={() => setEditing(false)} /> : null}
    </>
  );
}

function WaiterApp() {
  const { db } = useServices();
  const session = useMeta(db, 'session');
  const [location] = useLocation();
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="topbar__brand" aria-label="Chit, all tables">
          {/* A sharp logo on a 2x tablet screen too (Lighthouse: "low resolution" otherwise). */}
          <img
            src="/icons/favicon-32.png"
            srcSet="/icons/favicon-32.png 1x, /icons/icon-192.png 2x"
            alt=""
            width="32"
            height="32"
          />
          <span className="topbar__name">Chit</span>
        </Link>
        {session ? <ReadyNotice /> : null}
        {session ? <StaffButton /> : null}
        <SyncBadge />
      </header>
      <UpdateBanner />
      {session === undefined ? (
        <main className="screen" aria-busy="true" />
      ) : session?.device.role === 'kitchen' ? (
        // A kitchen board's home is the board.
        <Redirect to="/kitchen" replace />
      ) : session === null ? (
        <PairingScreen />
      ) : (
        // A screen that throws shows the notice under the banner, which stays: the badge, the
        // way back to the tables.
        <Contained resetKey={location}>
          <Switch>
            {waiterRoutes.map((route) => (
              <Route key={route.path} path={route.path} component={route.component} />
            ))}
            <Route>
              <main className="screen">
                <h1>Nothing here</h1>
                <Link href="/">Back to the tables</Link>
              </main>
            </Route>
          </Switch>
        </Contained>
      )}
    </div>
  );
}

export function App() {
  const [location] = useLocation();
  return (
    // The last resort: whatever throws (the banner included) leaves a notice, not a blank page.
    <Contained resetKey={location}>
      <Suspense fallback={<main className="screen" aria-busy="true" />}>
        <Switch>
          {appRoutes.map((route) => (
            <Route key={route.path} path={route.path} nest={route.nest} component={route.component} />
          ))}
          <Route>
            <WaiterApp />
          </Route>
        </Switch>
      </Suspense>
    </Contained>
  );
}
