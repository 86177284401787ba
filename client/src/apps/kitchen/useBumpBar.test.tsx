// @vitest-environment happy-dom
import { cleanup, fireEvent, render, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useBumpBar } from './useBumpBar.js';

afterEach(cleanup);

describe('the bump bar', () => {
  it('turns the board’s keys into actions', () => {
    const onAction = vi.fn();
    renderHook(() => useBumpBar(true, onAction));
    fireEvent.keyDown(window, { key: '3' });
    fireEvent.keyDown(window, { key: 'b' });
    fireEvent.keyDown(window, { key: 'ArrowDown' });
    fireEvent.keyDown(window, { key: 'x' });
    expect(onAction.mock.calls.map(([a]) => a)).toEqual([
      { type: 'select', index: 2 },
      { type: 'bump' },
      { type: 'move', by: 'down' },
    ]);
  });

  it('leaves keys alone while a dialog is open, or when typed into a field', () => {
    const onAction = vi.fn();
    const { rerender } = renderHook(({ enabled }) => useBumpBar(enabled, onAction), {
      initialProps: { enabled: false },
    });
    fireEvent.keyDown(window, { key: 'b' });
    expect(onAction).not.toHaveBeenCalled();
    rerender({ enabled: true });
    const { getByRole } = render(<input aria-label="Search" />);
    fireEvent.keyDown(getByRole('textbox'), { key: 'b' });
    expect(onAction).not.toHaveBeenCalled();
    fireEvent.keyDown(window, { key: 'b' });
    expect(onAction).toHaveBeenCalledTimes(1);
  });

  it('lets a focused button take Enter, but still bumps with B', () => {
    const onAction = vi.fn();
    renderHook(() => useBumpBar(true, onAction));
    const { getByRole } = render(<button type="button">Settings</button>);
    fireEvent.keyDown(getByRole('button'), { key: 'Enter' });
    expect(onAction).not.toHaveBeenCalled();
    fireEvent.keyDown(getByRole('button'), { key: 'B' });
    expect(onAction).toHaveBeenCalledWith({ type: 'bump' });
  });
});
