import { describe, expect, it } from 'vitest';
import { ticketNumberText } from './ticket-number.js';

describe('where a ticket number goes', () => {
  it('says "not sent yet" while the order is only on this device, then the number the server gave', () => {
    expect(ticketNumberText({ ticketNumber: null, sync: 'local' })).toBe('not sent yet');
    expect(ticketNumberText({ ticketNumber: 42, sync: 'synced' })).toBe('#42');
    expect(ticketNumberText({ ticketNumber: 108 })).toBe('#108');
  });

  it('shows a dash for an order stored before ticket numbers (or read before this version)', () => {
    expect(ticketNumberText({ ticketNumber: null, sync: 'synced' })).toBe('#—');
    expect(ticketNumberText({ sync: 'synced' })).toBe('#—');
  });
});
