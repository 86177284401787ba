// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from './board.js';
import { TicketCard } from './TicketCard.js';
import { withDefaults } from './settings.js';
import { kitchenTicket, ticketLine } from '../../test/fixtures.js';

afterEach(cleanup);

const now = Date.parse('2025-01-01T12:10:00.000Z');

const ticket = kitchenTicket({
  orderId: 'o1',
  tableId: 't12',
  tableLabel: 'Table 12',
  cookMinutes: 12,
  items: [
    ticketLine({
      id: 'i1',
      menuItemId: 'm1',
      name: 'Margherita',
      quantity: 2,
      modifiers: ['Large', 'Olives'],
      note: 'well done',
      cookMinutes: 12,
    }),
    ticketLine({ id: 'i2', menuItemId: 'm2', name: 'Tomato soup', status: 'cooking', cookMinutes: 8 }),
  ],
});

/** Everything a card needs besides its ticket and what a bump does. */
const props = {
  position: 1,
  selected: false,
  fresh: false,
  now,
  settings: withDefaults(null),
  readyView: false,
  onSelect: () => undefined,
  onDismiss: () => undefined,
};

function card(shown = ticket, onMove = vi.fn()) {
  render(<TicketCard ticket={shown} {...props} onMove={onMove} />);
  return onMove;
}

describe('a ticket card', () => {
  it('is an article named by its table, with the timer in words and the items readable', () => {
    card();
    const article = screen.getByRole('article', { name: 'Table 12' });
    expect(article.textContent).toContain('10:00');
    expect(article.textContent).toContain('Near'); // 10 of 12 minutes: past 80 %
    expect(article.textContent).toContain('2 × Margherita');
    expect(article.textContent).toContain('Olives');
    expect(article.textContent).toContain('“well done”');
  });

  it('shows the ticket number the server gave the order in its header, two digits and more', () => {
    card();
    const head = screen.getByRole('article', { name: 'Table 12' }).querySelector('header');
    expect(head?.textContent).toContain('#12');
  });

  it('bumps one item, or the ticket’s least advanced items, with one tap', () => {
    const onMove = card();
    fireEvent.click(screen.getByRole('button', { name: 'Queued: bump Margherita' }));
    expect(onMove).toHaveBeenLastCalledWith(ticket, [{ itemId: 'i1', from: 'queued', to: 'cooking' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Cooking: bump Tomato soup' }));
    expect(onMove).toHaveBeenLastCalledWith(ticket, [{ itemId: 'i2', from: 'cooking', to: 'ready' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Bump ticket' }));
    expect(onMove).toHaveBeenLastCalledWith(ticket, [{ itemId: 'i1', from: 'queued', to: 'cooking' }]);
  });

  it('shows an allergy in a banner with words and an icon, acknowledged with one tap, then who and when', () => {
    const onAck = vi.fn();
    const flagged: Ticket = {
      ...ticket,
      allergies: [
        { on: 'Whole order', allergens: ['peanuts'], note: 'severe' },
        { on: '2 × Margherita', allergens: ['gluten'], note: '' },
      ],
    };
    const withAck = { ...props, onMove: vi.fn(), onAcknowledgeAllergy: onAck };
    const { rerender } = render(<TicketCard ticket={flagged} {...withAck} askingAllergyAck />);
    const banner = screen.getByRole('region', { name: 'Allergy' });
    expect(banner.textContent).toContain('ALLERGY');
    expect(banner.textContent).toContain('Whole order: peanuts — severe');
    expect(banner.textContent).toContain('2 × Margherita: gluten');
    expect(screen.getByRole('alert').textContent).toContain('Acknowledge the allergy before the first bump');
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge allergy' }));
    expect(onAck).toHaveBeenCalledWith(flagged);

    const acked = {
      ...flagged,
      allergyAck: { at: '2025-01-01T12:05:00.000Z', deviceId: 'd2', deviceName: 'Grill', staffName: 'Lu' },
    };
    rerender(<TicketCard ticket={acked} {...withAck} />);
    expect(screen.queryByRole('button', { name: 'Acknowledge allergy' })).toBeNull();
    expect(screen.getByRole('region', { name: 'Allergy' }).textContent).toMatch(/Acknowledged by Lu \(Grill\) at/);
  });
});

describe('a voided line', () => {
  it('says VOIDED once, with the reason', () => {
    const voided: Ticket = {
      ...ticket,
      items: [
        {
          ...ticket.items[0]!,
          status: 'voided',
          voided: true,
          voidedAfterCooking: true,
          voidReason: 'guest left',
        },
        ticket.items[1]!,
      ],
    };
    voided.alerts = [voided.items[0]!];
    card(voided);
    const line = screen.getAllByRole('listitem').find((li) => li.textContent?.includes('Margherita'))!;
    expect(line.textContent.match(/voided/gi)).toHaveLength(1);
    expect(line.textContent).toContain('VOIDED AFTER COOKING STARTED · guest left');
  });
});
