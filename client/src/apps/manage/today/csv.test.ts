import type { TodayReport } from '@chit/shared';
import { describe, expect, it } from 'vitest';
import { reportCsv } from './csv.js';

const report: TodayReport = {
  from: '2026-11-19T23:00:00.000Z',
  to: '2026-11-20T12:00:00.000Z',
  timezone: 'Europe/Berlin',
  totals: { orders: 3, items: 4, totalCents: 5500, voidedItems: 1, voidedCents: 450 },
  orders: [],
  nextOrders: null,
  tables: [
    {
      tableId: '00000000-0000-4000-8000-000000000001',
      number: 2,
      label: 'Table 2',
      area: null,
      orders: 2,
      totalCents: 4150,
      openItems: 0,
    },
  ],
  voids: [],
  nextVoids: null,
  menuItems: [
    {
      menuItemId: '00000000-0000-4000-8000-000000000002',
      name: 'Burger, double',
      quantity: 3,
      totalCents: 4050,
      readyCount: 2,
      avgMinutesToReady: 16,
      p90MinutesToReady: 19.2,
    },
  ],
  waiters: [
    {
      staffName: '=HYPERLINK("x")',
      deviceId: '00000000-0000-4000-8000-000000000003',
      deviceName: 'Tablet 1',
      orders: 1,
      items: 2,
      totalCents: 3050,
    },
    {
      staffName: '',
      deviceId: '00000000-0000-4000-8000-000000000003',
      deviceName: 'Tablet 1',
      orders: 2,
      items: 2,
      totalCents: 2450,
    },
  ],
  hours: [{ hour: '2026-11-20T10:00:00.000Z', orders: 1, items: 1, totalCents: 1100 }],
};

describe('the report as CSV', () => {
  it('has a row per figure with its section, amounts as decimals, local hours', () => {
    const lines = reportCsv(report).split('\r\n');
    expect(lines[0]).toBe('Section,Name,Orders,Items,Sales');
    expect(lines).toContain('Totals,All orders,3,4,55.00');
    expect(lines).toContain('Waiter,No name on Tablet 1,2,2,24.50');
    expect(lines).toContain('Hour,11:00,1,1,11.00');
    expect(lines).toContain('Table,Table 2,2,,41.50');
    expect(lines).toContain('Dish,"Burger, double",,3,40.50');
  });

  it('quotes what needs quoting and defuses text a spreadsheet would run as a formula', () => {
    expect(reportCsv(report)).toContain(`Waiter,"'=HYPERLINK(""x"") on Tablet 1",1,2,30.50`);
  });
});
