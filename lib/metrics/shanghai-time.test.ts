import { describe, expect, it } from "vitest";
import {
  getNextShanghaiMonthStart,
  getShanghaiMonthStart,
  getShanghaiDay,
  getShanghaiDayStart,
  getShanghaiHourBucket,
  getShanghaiHourOfDay,
  getShanghaiTimeOfDayMs,
  getShanghaiWeekday,
} from "@/lib/metrics/shanghai-time";

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
