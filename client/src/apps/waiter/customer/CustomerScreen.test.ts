import { describe, expect, it } from 'vitest';
import { checkCustomer } from './CustomerScreen.js';

describe('the customer form', () => {
  it('says what is wrong field by field, in the words the server would use', () => {
    expect(checkCustomer('delivery', { name: ' ', address: '', phone: 'call me' })).toEqual({
      ok: false,
      errors: {
        name: "Give the customer's name.",
        address: 'Give the delivery address.',
        phone: 'Give a phone number of digits, spaces and + ( ) - . /',
      },
    });
  });

  it('asks a takeaway only for a name, and keeps what was typed, trimmed', () => {
    expect(checkCustomer('takeaway', { name: ' Mia ', address: 'left over', phone: 'x' })).toEqual({
      ok: true,
      customer: { name: 'Mia', address: null, phone: null },
    });
    expect(checkCustomer('delivery', { name: 'Jon', address: ' Hauptstr. 1 ', phone: '+49 30 1234567' })).toEqual({
      ok: true,
      customer: { name: 'Jon', address: 'Hauptstr. 1', phone: '+49 30 1234567' },
    });
  });
});
