// Calendar-date arithmetic in Asia/Shanghai, independent of the machine's time zone.
// China has kept no daylight saving time since 1991, so Shanghai is a fixed UTC+08:00 offset.
const shanghaiOffsetMs = 8 * 60 * 60 * 1000;

/** A calendar date; month is 1–12. */
export type CalendarDate = { year: number; month: number; day: number };

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
