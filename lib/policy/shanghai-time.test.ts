import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addCalendarYears, getEndOfShanghaiDay, getShanghaiDate } from "@/lib/policy/shanghai-time";

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
