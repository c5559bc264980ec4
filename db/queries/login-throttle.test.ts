import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { clearLoginThrottle, getLoginThrottle, reserveLoginAttempt } from "@/db/queries/login-throttle";
import { loginThrottlePolicy } from "@/lib/login-throttle";
import { closeTestDb, openTestDb } from "@/db/test-db";

const t0 = new Date("2026-11-23T02:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("reserveLoginAttempt", () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => closeTestDb(db));

  /** `count` attempts one second apart that all fail; what each reservation answered. */
  async function failAttempts(email: string, count: number): Promise<boolean[]> {
    const answers: boolean[] = [];
    for (let index = 0; index < count; index++) answers.push(await reserveLoginAttempt(db, email, at(index * 1_000)));
    return answers;
  }

  it.each([
    [4, false],
    [5, true],
  ])("after %i failures the account is locked: %s", async (failures, locked) => {
    expect(await failAttempts("wang@a.test", failures)).toEqual(Array(failures).fill(true));
    expect(await reserveLoginAttempt(db, "wang@a.test", at(failures * 1_000))).toBe(!locked);
  });

  it("refuses the sixth attempt for the lock's 30 s and takes the next one after it", async () => {
    await failAttempts("Wang@A.test", 5);
    const state = await getLoginThrottle(db, "wang@a.test");
    expect(state?.failures).toBe(5);
    expect(state?.lockedUntil?.getTime()).toBe(at(4_000).getTime() + loginThrottlePolicy.firstLockMs);
    expect(await reserveLoginAttempt(db, "wang@a.test", at(4_000 + 29_999))).toBe(false);
    // A refused attempt does not count: the lock is not extended by hammering it
    expect((await getLoginThrottle(db, "wang@a.test"))?.failures).toBe(5);
    expect(await reserveLoginAttempt(db, "wang@a.test", at(4_000 + 30_000))).toBe(true);
    expect((await getLoginThrottle(db, "wang@a.test"))?.lockedUntil?.getTime()).toBe(at(34_000).getTime() + 2 * loginThrottlePolicy.firstLockMs);
  });

  it("counts attempts sent together: only five of twenty parallel guesses get to a password check", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, async () => reserveLoginAttempt(db, "li@a.test", t0)));
    expect(answers.filter(Boolean)).toHaveLength(5);
  });

  it("keeps accounts apart, and a success (clear) starts the count again", async () => {
    await failAttempts("wang@a.test", 4);
    expect(await reserveLoginAttempt(db, "zhao@a.test", at(5_000))).toBe(true);
    await clearLoginThrottle(db, "wang@a.test");
    expect(await failAttempts("wang@a.test", 4)).toEqual([true, true, true, true]);
    expect(await reserveLoginAttempt(db, "wang@a.test", at(4_000))).toBe(true);
    expect(await reserveLoginAttempt(db, "wang@a.test", at(5_000))).toBe(false);
  });
});
