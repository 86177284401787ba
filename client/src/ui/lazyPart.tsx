import {
  Component,
  lazy,
  Suspense,
  useState,
  type ComponentProps,
  type ComponentType,
  type JSXElementConstructor,
  type ReactNode,
} from 'react';

interface LazyPartOptions {
  /** Shown while the part's code loads. */
  loading?: ReactNode;
  /** A part that is a nicety (the ready notice): on a failure it shows nothing instead of the notice. */
  quiet?: boolean;
}

/**
 * A part of the app loaded on first use (its own chunk), that cannot take the app down with
 * it. Its code usually comes from the service worker's precache; when it cannot (a tablet
 * that lost the network before its service worker finished installing, a deployment that
 * removed the old files), the part says so with a "Try again" button and everything around
 * it keeps working: the sync badge, the other screens, the orders in IndexedDB. Without
 * this, React unmounts the whole app on a failed `import()` and the waiter sees a blank page.
 */
// `any` as in React's own ComponentProps: a component with whatever props it has.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyPart<C extends JSXElementConstructor<any>>(
  load: () => Promise<C>,
  options: LazyPartOptions = {},
): (props: ComponentProps<C>) => ReactNode {
  type P = ComponentProps<C>;
  // React.lazy keeps a failed load for good; a retry needs a fresh one.
  const fresh = () => lazy(async () => ({ default: (await load()) as ComponentType<P> }));
  let Part = fresh();
  function LazyPart(props: P) {
    const [, setAttempt] = useState(0);
    const retry = () => {
      Part = fresh();
      setAttempt((n) => n + 1);
    };
    return (
      <PartBoundary quiet={options.quiet ?? false} onRetry={retry}>
        <Suspense fallback={options.loading ?? null}>
          <Part {...props} />
        </Suspense>
      </PartBoundary>
    );
  }
  return LazyPart;
}

/**
 * The same containment for parts that are not loaded lazily (the screens' routes, the app as
 * a whole): a render error shows the notice in place of `children` instead of blanking the
 * page. A new `resetKey` (the location) clears it, so going elsewhere works again.
 */
export function Contained({ resetKey, children }: { resetKey?: string; children: ReactNode }) {
  return (
    <PartBoundary quiet={false} onRetry={noRetry} resetKey={resetKey}>
      {children}
    </PartBoundary>
  );
}

const noRetry = () => undefined;

interface BoundaryProps {
  quiet: boolean;
  onRetry: () => void;
  resetKey?: string | undefined;
  children: ReactNode;
}

type Failure = 'load' | 'render' | null;

/** A chunk that did not arrive, as Chromium, Firefox and Safari word it. */
const loadFailure = /dynamically imported module|module script failed|Loading (CSS )?chunk|Unable to preload CSS/i;

class PartBoundary extends Component<BoundaryProps, { failed: Failure }> {
  override state: { failed: Failure } = { failed: null };

  static getDerivedStateFromError(error: unknown): { failed: Failure } {
    return { failed: error instanceof Error && loadFailure.test(error.message) ? 'load' : 'render' };
  }

  override componentDidCatch(error: unknown): void {
    console.error('a part of the app failed to load or render', error);
  }

  override componentDidUpdate(previous: BoundaryProps): void {
    if (this.state.failed !== null && previous.resetKey !== this.props.resetKey) this.setState({ failed: null });
  }

  private readonly retry = () => {
    this.props.onRetry();
    this.setState({ failed: null });
  };

  override render(): ReactNode {
    const { failed } = this.state;
    if (failed === null) return this.props.children;
    if (this.props.quiet) return null;
    return (
      <div className="part-failed" role="alert">
        <p>
          {failed === 'load' ? (
            <>
              <strong>This part of Chit could not load.</strong> The tablet cannot reach the server and has not stored
              this part yet.
            </>
          ) : (
            <strong>This part of Chit ran into a problem.</strong>
          )}{' '}
          Orders on this tablet are safe and still go out by themselves.
        </p>
        <button type="button" className="button" onClick={this.retry}>
          Try again
        </button>
      </div>
    );
  }
}
