// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../sync/engine.js';
import { ConnectionBanner } from './ConnectionBanner.js';

afterEach(cleanup);

const now = Date.parse('2025-01-01T12:10:00.000Z');

describe('the connection banner', () => {
  const status = (patch: Partial<SyncStatus>): SyncStatus => ({
    online: true,
    connection: 'online',
    events: 'live',
    sending: false,
    notLiveSince: null,
    ...patch,
  });

  it('says nothing while live, or for the first seconds of connecting', () => {
    const { container, rerender } = render(<ConnectionBanner status={status({})} now={now} waiting={0} />);
    expect(container.textContent).toBe('');
    rerender(
      <ConnectionBanner status={status({ events: 'connecting', notLiveSince: now - 1000 })} now={now} waiting={0} />,
    );
    expect(container.textContent).toBe('');
  });

  it('shouts when not connected, since when, and what waits to be sent', () => {
    const since = now - 4 * 60_000;
    render(
      <ConnectionBanner
        status={status({ online: false, connection: 'unreachable', events: 'connecting', notLiveSince: since })}
        now={now}
        waiting={2}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('NOT CONNECTED (server unreachable)');
    expect(alert.textContent).toContain('(4 minutes)');
    expect(alert.textContent).toContain('2 bumps saved here');
  });
});
