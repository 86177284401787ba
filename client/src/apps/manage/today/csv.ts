import type { TodayReport } from '@chit/shared';

/*
 * The report as a CSV file a spreadsheet opens: one row per figure, its section first
 * (totals, waiters, hours, tables, dishes), amounts as plain decimals (12.50) so they sum.
 */

/** RFC 4180 quoting, and text a spreadsheet would run as a formula (a staff name "=1+1") defused. */
function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const amount = (cents: number) => (cents / 100).toFixed(2);

/** "14:00" in the report's time zone. */
function hourLabel(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(
    new Date(iso),
  );
}

export function reportCsv(report: TodayReport): string {
  const rows: (string | number)[][] = [['Section', 'Name', 'Orders', 'Items', 'Sales']];
  const { totals } = report;
  rows.push(['Period', `${report.from} to ${report.to} (${report.timezone})`, '', '', '']);
  rows.push(['Totals', 'All orders', totals.orders, totals.items, amount(totals.totalCents)]);
  rows.push(['Totals', 'Voided', '', totals.voidedItems, amount(totals.voidedCents)]);
  for (const w of report.waiters) {
    rows.push(['Waiter', `${w.staffName || 'No name'} on ${w.deviceName}`, w.orders, w.items, amount(w.totalCents)]);
  }
  for (const h of report.hours) {
    rows.push(['Hour', hourLabel(h.hour, report.timezone), h.orders, h.items, amount(h.totalCents)]);
  }
  for (const t of report.tables) rows.push(['Table', t.label, t.orders, '', amount(t.totalCents)]);
  for (const m of report.menuItems) rows.push(['Dish', m.name, '', m.quantity, amount(m.totalCents)]);
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Hands the CSV to the browser as a download. */
export function downloadCsv(report: TodayReport, fileName: string): void {
  const url = URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // After the click has started the download; the browser keeps its own copy.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
