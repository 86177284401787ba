// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Contained, lazyPart } from './lazyPart.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const chunkMissing = () =>
  new TypeError('Failed to fetch dynamically imported module: http://tablet/assets/MenuScreen-x.js');

function Menu({ table }: { table: number }) {
  return <h1>Menu for table {table}</h1>;
}

describe('a part loaded on first use', () => {
  it('says it could not load, keeps the rest of the app, and loads when tried again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const load = vi.fn<() => Promise<typeof Menu>>().mockRejectedValueOnce(chunkMissing()).mockResolvedValue(Menu);
    const MenuScreen = lazyPart(load);
    render(
      <>
        <button type="button">Sync status</button>
        <MenuScreen table={12} />
      </>,
    );

    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('could not load') as string,
    );
    expect(screen.getByRole('alert').textContent).toContain('Orders on this tablet are safe');
    expect(screen.getByRole('button', { name: 'Sync status' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByRole('heading')).textContent).toBe('Menu for table 12');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('a part that throws while drawing says so instead of blanking the app', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const Broken = lazyPart(() =>
      Promise.resolve(() => {
        throw new Error('boom');
      }),
    );
    render(
      <>
        <p>Tables</p>
        <Broken />
      </>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('ran into a problem');
    expect(screen.getByText('Tables')).toBeTruthy();
  });

  it('a quiet part (the ready notice) shows nothing when it cannot load', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const load = (): Promise<() => null> => Promise.reject(chunkMissing());
    const Notice = lazyPart(load, { quiet: true });
    const Panel = lazyPart(load);
    render(
      <>
        <header>
          <Notice />
        </header>
        <Panel />
      </>,
    );
    // Both failed by the time the panel says so; only the panel does.
    await screen.findByRole('alert');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('banner').innerHTML).toBe('');
  });

  it('a screen that is not lazy is contained too, and works again at the next place', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    function Screen({ at }: { at: string }) {
      if (at === '/tables/broken') throw new Error('boom');
      return <h1>{at}</h1>;
    }
    const { rerender } = render(
      <Contained resetKey="/tables/broken">
        <Screen at="/tables/broken" />
      </Contained>,
    );
    expect(screen.getByRole('alert').textContent).toContain('ran into a problem');
    rerender(
      <Contained resetKey="/">
        <Screen at="/" />
      </Contained>,
    );
    expect(screen.getByRole('heading').textContent).toBe('/');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
