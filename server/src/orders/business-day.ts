// Which business day an instant belongs to: the calendar day in the restaurant's time zone
// of the instant moved back by the day's start (04:00 → an order at 01:30 on Saturday is
// Friday's). Ticket numbers start again at 1 each business day.

/** `HH:MM` → minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new Error(`not a time of day: ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * The business day (`YYYY-MM-DD`) of `at` in `timeZone`, for a day starting `startMinutes`
 * after local midnight. Worked on the local wall clock, so a day that has 23 or 25 hours
 * (daylight saving) still starts at the same local time.
 */
export function businessDay(at: Date, timeZone: string, startMinutes: number): string {
  const parts: Record<string, string> = {};
  for (const part of formatIn(timeZone).formatToParts(at)) parts[part.type] = part.value;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return new Date(wall - startMinutes * 60_000).toISOString().slice(0, 10);
}
