import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarYears,
  dayMs,
  getEndOfShanghaiDay,
  getNextShanghaiMonthStart,
  getShanghaiDate,
  getShanghaiDay,
  getShanghaiDayStart,
  getShanghaiHourBucket,
  getShanghaiHourOfDay,
  getShanghaiMonthStart,
  getShanghaiTimeOfDayMs,
  getShanghaiWeekday,
  hourMs,
  minuteMs,
  shanghaiOffsetMs,
} from "@/lib/time";

describe("time units", () => {
  it("a minute, an hour and a day in milliseconds, and Shanghai eight hours ahead of UTC", () => {
    expect([minuteMs, hourMs, dayMs, shanghaiOffsetMs]).toEqual([60_000, 3_600_000, 86_400_000, 28_800_000]);
  });
});

// Each instant is chosen so its UTC and Shanghai readings differ, which a helper leaning on the machine's TZ would get wrong somewhere
describe("Shanghai wall clock of an instant", () => {
  it.each([
    // instant, Shanghai day, hour, weekday (0 = Mon), hour bucket start (UTC)
    ["2026-11-22T16:30:00.000Z", "2026-11-23", 0, 0, "2026-11-22T16:00:00.000Z"], // Sun in UTC, Mon 00:30 in Shanghai
    ["2026-11-22T15:59:59.999Z", "2026-11-22", 23, 6, "2026-11-22T15:00:00.000Z"], // last ms of Sunday in Shanghai
    ["2026-11-22T16:00:00.000Z", "2026-11-23", 0, 0, "2026-11-22T16:00:00.000Z"], // Shanghai midnight exactly
    ["2026-11-23T06:00:00.000Z", "2026-11-23", 14, 0, "2026-11-23T06:00:00.000Z"],
    ["2026-12-31T20:15:00.000Z", "2027-01-01", 4, 4, "2026-12-31T20:00:00.000Z"], // new year in Shanghai only
    ["2028-02-28T17:00:00.000Z", "2028-02-29", 1, 1, "2028-02-28T17:00:00.000Z"], // leap day
    ["1969-12-31T16:00:00.000Z", "1970-01-01", 0, 3, "1969-12-31T16:00:00.000Z"], // negative epoch ms
    ["1969-12-31T15:30:00.000Z", "1969-12-31", 23, 2, "1969-12-31T15:00:00.000Z"],
  ])("%s → %s %i:xx, weekday %i", (iso, day, hour, weekday, bucketIso) => {
    const instant = new Date(iso);
    expect(getShanghaiDay(instant)).toBe(day);
    expect(getShanghaiHourOfDay(instant)).toBe(hour);
    expect(getShanghaiWeekday(instant)).toBe(weekday);
    expect(getShanghaiHourBucket(instant).toISOString()).toBe(bucketIso);
  });

  it.each([
    ["2026-11-22T16:30:00.000Z", 30 * 60_000],
    ["2026-11-22T15:59:59.999Z", 86_400_000 - 1],
    ["2026-11-23T00:00:00.000Z", 8 * 3_600_000],
    ["1969-12-31T15:30:00.000Z", 23.5 * 3_600_000],
  ])("time of day of %s is %i ms", (iso, timeOfDayMs) => {
    expect(getShanghaiTimeOfDayMs(new Date(iso))).toBe(timeOfDayMs);
  });
});

describe("getShanghaiDayStart", () => {
  it.each([
    ["2026-11-23", "2026-11-22T16:00:00.000Z"],
    ["2027-01-01", "2026-12-31T16:00:00.000Z"],
    ["2028-02-29", "2028-02-28T16:00:00.000Z"],
  ])("%s starts at %s", (day, iso) => {
    expect(getShanghaiDayStart(day).toISOString()).toBe(iso);
    expect(getShanghaiDay(getShanghaiDayStart(day))).toBe(day);
  });

  it.each(["2026-02-30", "2027-02-29", "2026-13-01", "2026-1-5", "26-11-23", "2026-11-23T00:00", ""])(
    "rejects %j",
    (day) => {
      expect(() => getShanghaiDayStart(day)).toThrow(RangeError);
    },
  );
});

describe("Shanghai months", () => {
  const at = (text: string) => new Date(`${text}+08:00`);

  it("starts a month at 00:00 Shanghai on the 1st, which is 16:00 UTC the day before", () => {
    expect(getShanghaiMonthStart(at("2026-11-23T14:00:00")).toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(getNextShanghaiMonthStart(at("2026-11-23T14:00:00")).toISOString()).toBe("2026-11-30T16:00:00.000Z");
  });

  it("puts the last millisecond of a month and the first of the next on either side", () => {
    expect(getShanghaiMonthStart(at("2026-11-30T23:59:59.999"))).toEqual(at("2026-11-01T00:00:00"));
    expect(getShanghaiMonthStart(at("2026-12-01T00:00:00"))).toEqual(at("2026-12-01T00:00:00"));
    // 2026-11-30 20:00 UTC is already December in Shanghai
    expect(getShanghaiMonthStart(new Date("2026-11-30T20:00:00Z"))).toEqual(at("2026-12-01T00:00:00"));
  });

  it("rolls over the year and knows February's length", () => {
    expect(getNextShanghaiMonthStart(at("2026-12-31T23:59:59.999"))).toEqual(at("2027-01-01T00:00:00"));
    expect(getNextShanghaiMonthStart(at("2028-02-29T12:00:00"))).toEqual(at("2028-03-01T00:00:00"));
    expect(getShanghaiMonthStart(at("2028-02-29T12:00:00"))).toEqual(at("2028-02-01T00:00:00"));
  });
});

describe("getShanghaiDate", () => {
  it.each([
    ["00:30 in Shanghai is the previous day in UTC", "2024-02-29T00:30:00+08:00", { year: 2024, month: 2, day: 29 }],
    ["23:30 in Shanghai is the same day in UTC", "2024-02-29T23:30:00+08:00", { year: 2024, month: 2, day: 29 }],
    ["16:00Z is already the next Shanghai day", "2025-12-31T16:00:00.000Z", { year: 2026, month: 1, day: 1 }],
    ["15:59:59.999Z is still the same Shanghai day", "2025-12-31T15:59:59.999Z", { year: 2025, month: 12, day: 31 }],
  ])("%s", (_label, iso, expected) => {
    expect(getShanghaiDate(new Date(iso))).toEqual(expected);
  });

  it("agrees with the IANA zone for any instant 1992–2100 (fixed offset, no DST)", () => {
    const format = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1992-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
        (instant) => {
          const { year, month, day } = getShanghaiDate(instant);
          const expected = format.format(instant);
          expect(`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`).toBe(expected);
        },
      ),
    );
  });
});

describe("addCalendarYears", () => {
  it.each([
    ["29 Feb to a common year falls back to 28 Feb", { year: 2024, month: 2, day: 29 }, 2, { year: 2026, month: 2, day: 28 }],
    ["29 Feb to a leap year stays 29 Feb", { year: 2024, month: 2, day: 29 }, 4, { year: 2028, month: 2, day: 29 }],
    ["1 Mar stays 1 Mar", { year: 2024, month: 3, day: 1 }, 2, { year: 2026, month: 3, day: 1 }],
    ["31 Dec stays 31 Dec", { year: 2025, month: 12, day: 31 }, 2, { year: 2027, month: 12, day: 31 }],
  ])("%s", (_label, date, years, expected) => {
    expect(addCalendarYears(date, years)).toEqual(expected);
  });
});

describe("getEndOfShanghaiDay", () => {
  it.each([
    [{ year: 2026, month: 2, day: 28 }, "2026-02-28T15:59:59.999Z"],
    [{ year: 2025, month: 12, day: 31 }, "2025-12-31T15:59:59.999Z"],
  ])("%j ends at %s", (date, iso) => {
    expect(getEndOfShanghaiDay(date).toISOString()).toBe(iso);
  });
});
