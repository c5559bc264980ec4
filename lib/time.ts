// The one home of the desk's time units and its Asia/Shanghai calendar. Pure: every helper takes the instant it
// works on, none reads the clock or the machine's time zone.
// Asia/Shanghai is UTC+8 all year: China has observed no daylight saving time since 1991, so a fixed
// offset is exact for every instant the desk stores.

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** Shanghai wall-clock time minus UTC, in milliseconds (UTC+08:00). */
export const shanghaiOffsetMs = 8 * hourMs;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

// JS % keeps the sign of the dividend; instants before 1970 must still land in [0, divisor)
function getPositiveRemainder(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** The UTC instant at which the Shanghai hour containing `instant` starts. */
export function getShanghaiHourBucket(instant: Date): Date {
  const shanghaiMs = instant.getTime() + shanghaiOffsetMs;
  return new Date(shanghaiMs - getPositiveRemainder(shanghaiMs, hourMs) - shanghaiOffsetMs);
}

/** The Shanghai calendar day of `instant`, "YYYY-MM-DD". */
export function getShanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + shanghaiOffsetMs).toISOString().slice(0, 10);
}

/** 0–23, the hour on a Shanghai wall clock. */
export function getShanghaiHourOfDay(instant: Date): number {
  return new Date(instant.getTime() + shanghaiOffsetMs).getUTCHours();
}

/** 0 = Monday … 6 = Sunday, as Chinese calendars and the heatmap rows run. */
export function getShanghaiWeekday(instant: Date): number {
  return (new Date(instant.getTime() + shanghaiOffsetMs).getUTCDay() + 6) % 7;
}

/** Milliseconds since Shanghai midnight, 0 ≤ result < 24 h. */
export function getShanghaiTimeOfDayMs(instant: Date): number {
  return getPositiveRemainder(instant.getTime() + shanghaiOffsetMs, dayMs);
}

/** The UTC instant of 00:00 Shanghai on `day` ("YYYY-MM-DD"); throws on a malformed or impossible date. */
export function getShanghaiDayStart(day: string): Date {
  const match = dayPattern.exec(day);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD day: "${day}"`);
  const [, year, month, date] = match.map(Number);
  const utcMidnightMs = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches it
  if (new Date(utcMidnightMs).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`No such day: "${day}"`);
  }
  return new Date(utcMidnightMs - shanghaiOffsetMs);
}

/** The UTC instant at which the Shanghai calendar month containing `instant` starts. */
export function getShanghaiMonthStart(instant: Date): Date {
  const shanghai = new Date(instant.getTime() + shanghaiOffsetMs);
  return new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), 1) - shanghaiOffsetMs);
}

/** The UTC instant at which the Shanghai calendar month after the one containing `instant` starts. */
export function getNextShanghaiMonthStart(instant: Date): Date {
  const shanghai = new Date(instant.getTime() + shanghaiOffsetMs);
  return new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() + 1, 1) - shanghaiOffsetMs);
}

/** A calendar date; month is 1–12. */
export type CalendarDate = { year: number; month: number; day: number };

/** The Shanghai calendar date of `instant`. */
export function getShanghaiDate(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + shanghaiOffsetMs);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Same month and day `years` later; a day the target month lacks (29 Feb) becomes its last day (docs/domain/after-sales-entry.md). */
export function addCalendarYears(date: CalendarDate, years: number): CalendarDate {
  const year = date.year + years;
  const lastDayOfMonth = new Date(Date.UTC(year, date.month, 0)).getUTCDate();
  return { year, month: date.month, day: Math.min(date.day, lastDayOfMonth) };
}

/** The last millisecond of a Shanghai calendar day: 23:59:59.999+08:00. */
export function getEndOfShanghaiDay(date: CalendarDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day + 1) - shanghaiOffsetMs - 1);
}
