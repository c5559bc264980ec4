import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { countSignInAddressWindows, giveBackSignInAttempt, takeSignInAttempt } from "@/db/queries/sign-in-limit";
import { closeTestDb, openAnotherInstance, openTestDb } from "@/db/test-db";

const policy = { maxFailures: 30, windowMs: 60_000 };
const t0 = Date.parse("2026-11-23T02:00:00.000Z");
const at = (ms: number) => new Date(t0 + ms);

describe("the per-address sign-in limit in the database", () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => closeTestDb(db));

  async function takeMany(key: string, count: number, ms = 0, on: Db = db): Promise<boolean[]> {
    const answers: boolean[] = [];
    for (let index = 0; index < count; index++) answers.push(await takeSignInAttempt(on, key, at(ms), policy));
    return answers;
  }

  it("takes 30 failed attempts from one address in a minute and refuses the 31st; another address has its own count", async () => {
    expect(await takeMany("203.0.113.7", 30)).toEqual(Array(30).fill(true));
    expect(await takeSignInAttempt(db, "203.0.113.7", at(59_999), policy)).toBe(false);
    expect(await takeSignInAttempt(db, "203.0.113.8", at(0), policy)).toBe(true);
  });

  it("opens a new window a minute after the first attempt", async () => {
    await takeMany("203.0.113.7", 30);
    expect(await takeSignInAttempt(db, "203.0.113.7", at(60_000), policy)).toBe(true);
    expect(await takeMany("203.0.113.7", 29, 60_000)).toEqual(Array(29).fill(true));
    expect(await takeSignInAttempt(db, "203.0.113.7", at(60_001), policy)).toBe(false);
  });

  it("does not count sign-ins that succeed, and interleaved successes free no failures", async () => {
    for (let index = 0; index < 40; index++) {
      expect(await takeSignInAttempt(db, "198.51.100.1", at(0), policy)).toBe(true);
      await giveBackSignInAttempt(db, "198.51.100.1");
    }
    for (let index = 0; index < 30; index++) {
      expect(await takeSignInAttempt(db, "198.51.100.1", at(0), policy)).toBe(true); // a guess: fails
      if (index < 29) {
        expect(await takeSignInAttempt(db, "198.51.100.1", at(0), policy)).toBe(true); // the attacker's own account
        await giveBackSignInAttempt(db, "198.51.100.1");
      }
    }
    expect(await takeSignInAttempt(db, "198.51.100.1", at(0), policy)).toBe(false);
  });

  it("attempts sent at once cannot overshoot: 40 in parallel, exactly 30 taken", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => takeSignInAttempt(db, "192.0.2.9", at(0), policy)));
    expect(answers.filter(Boolean)).toHaveLength(30);
  });

  it("windows over are deleted as new ones start, so the table does not grow with every address ever seen", async () => {
    for (let index = 0; index < 5; index++) await takeSignInAttempt(db, `192.0.2.${index}`, at(0), policy);
    expect(await countSignInAddressWindows(db)).toBe(5);
    await takeSignInAttempt(db, "192.0.2.200", at(60_001), policy);
    expect(await countSignInAddressWindows(db)).toBe(1);
  });

  it("holds across instances: 15 failures on each of two instances use up one window of 30", async () => {
    // On PostgreSQL another pool on the same database, as a second desk instance; SQLite has one process
    const other = getDialect() === "postgres" ? await openAnotherInstance(db) : db;
    const both = await Promise.all([takeMany("203.0.113.50", 15, 0, db), takeMany("203.0.113.50", 15, 0, other)]);
    expect(both.flat()).toEqual(Array(30).fill(true));
    expect(await takeSignInAttempt(other, "203.0.113.50", at(1_000), policy)).toBe(false);
    expect(await takeSignInAttempt(db, "203.0.113.50", at(1_000), policy)).toBe(false);
  });
});
