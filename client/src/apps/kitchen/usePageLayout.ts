import { useLayoutEffect, useState, type RefObject } from 'react';
import type { Spot } from './keys.js';

/** Where one ticket landed: the pages its first and last fragments are on, and where it starts. */
export interface TicketPlace extends Spot {
  first: number;
  last: number;
}

/** Where a ticket continues (its second and later parts), in the board box's own coordinates. */
export interface Continuation {
  orderId: string;
  left: number;
  top: number;
  width: number;
}

export interface PageLayout {
  pages: number;
  /** By order id. Empty until the board has been laid out once. */
  places: ReadonlyMap<string, TicketPlace>;
  continuations: readonly Continuation[];
}

const empty: PageLayout = { pages: 1, places: new Map(), continuations: [] };

/**
 * Reads where the browser put the tickets. The board is a CSS multi-column box of fixed
 * height: tickets fill a column top to bottom, oldest first, and the columns that do not
 * fit overflow to the right, where a page is exactly one box width (plus a column gap) on.
 * Every ticket element carries `data-order-id`. A ticket taller than what is left of a
 * column continues in the next; its later parts get a label ("Table 3 · cont."). Re-measured after each render in which
 * `version` changed, and when the box is resized.
 */
export function usePageLayout(ref: RefObject<HTMLElement | null>, version: unknown): PageLayout {
  const [layout, setLayout] = useState<PageLayout>(empty);

  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => {
      const next = measureLayout(box);
      setLayout((prev) => (sameLayout(prev, next) ? prev : next));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [ref, version]);

  return layout;
}

function measureLayout(box: HTMLElement): PageLayout {
  const gap = parseFloat(getComputedStyle(box).columnGap) || 0;
  const stride = box.clientWidth + gap;
  const origin = box.getBoundingClientRect();
  const tickets = [...box.querySelectorAll<HTMLElement>('[data-order-id]')];
  const width = tickets[0]?.getClientRects()[0]?.width ?? 0;
  if (stride <= 0 || width <= 0) return empty;
  const columnStride = width + gap;
  const places = new Map<string, TicketPlace>();
  const continuations: Continuation[] = [];
  let pages = 1;
  for (const ticket of tickets) {
    // One rectangle per fragment: a ticket taller than a column continues in the next one.
    const rects = ticket.getClientRects();
    const head = rects[0];
    const tail = rects[rects.length - 1];
    if (!head || !tail) continue;
    const x0 = head.left - origin.left;
    const first = Math.floor((x0 + 1) / stride);
    const last = Math.floor((tail.left - origin.left + 1) / stride);
    pages = Math.max(pages, last + 1);
    for (const part of Array.from(rects).slice(1)) {
      continuations.push({
        orderId: ticket.dataset.orderId!,
        left: Math.round(part.left - origin.left),
        top: Math.round(part.top - origin.top),
        width: Math.round(part.width),
      });
    }
    places.set(ticket.dataset.orderId!, {
      first,
      last,
      column: Math.round(x0 / columnStride),
      top: Math.round(head.top - origin.top),
    });
  }
  return { pages, places, continuations };
}

function sameLayout(a: PageLayout, b: PageLayout): boolean {
  if (a.pages !== b.pages || a.places.size !== b.places.size) return false;
  if (JSON.stringify(a.continuations) !== JSON.stringify(b.continuations)) return false;
  for (const [id, p] of a.places) {
    const q = b.places.get(id);
    if (!q || q.first !== p.first || q.last !== p.last || q.column !== p.column || q.top !== p.top) return false;
  }
  return true;
}
