import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { writePresence } from "@/db/queries/presence";
import { setShopAssignment } from "@/db/queries/users";
import { auditLog, requests } from "@/db/schema";
import { sweepAutoAssignments } from "@/db/workflows/assignment";

// SQLite only: another connection holds the file's write lock (the rest of the sweep's tests, in assignment.test.ts,
// run on both engines: docs/postgres.md#tests)

const now = new Date("2026-11-23T06:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const quiet = () => undefined;

describe("a sweep beside another writer", () => {
  it("counts a card it could not write as failed and assigns it on the next pass (nothing is lost)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-sweep-"));
    try {
      const file = path.join(dir, "sweep.db");
      const db = openDb(file);
      const merchantId = await createMerchant(db, "A");
      const shopId = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
      const wangId = await createUser(db, { merchantId, name: "王芳", email: "w@a.test", role: "agent" });
      await setShopAssignment(db, merchantId, shopId, { autoAssign: true, cap: 5 }, later(-60_000));
      const arrive = async () => {
        const orderId = await createOrder(db, { shopId, platform: "tmall" });
        const id = await createRequest(db, { shopId, orderId, platform: "tmall", receivedAt: new Date(now.getTime() - 3_600_000) });
        await db.insert(auditLog).values({ shopId, requestId: id, orderId, action: "received", toStatus: "pending", at: now });
        return id;
      };
      const cards = [await arrive(), await arrive()];
      await writePresence(db, "ins_a", new Map([[wangId, 1]]), now);
      // Another process holds the write lock (as the e2e test process does while it seeds cards)
      const other = openDb(file);
      db.$client.pragma("busy_timeout = 0");
      other.$client.exec("begin immediate");
      const errors: unknown[] = [];
      expect(await sweepAutoAssignments(db, later(1_000), { logError: (...values) => errors.push(values) })).toEqual({ assigned: 0, failed: 2 });
      expect(errors).toHaveLength(2);
      other.$client.exec("commit");
      expect(await sweepAutoAssignments(db, later(2_000), { logError: quiet })).toEqual({ assigned: 2, failed: 0 });
      const holders = await Promise.all(cards.map(async (id) => (await db.select().from(requests).where(eq(requests.id, id)))[0].claimedBy));
      expect(holders).toEqual([wangId, wangId]);
      other.$client.close();
      db.$client.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
