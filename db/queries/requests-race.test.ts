import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { getScope, type Scope } from "@/db/queries/users";
import { auditLog } from "@/db/schema";
import { decideRequest } from "@/db/workflows/decide";

// SQLite only: four connections to one database file. PostgreSQL's race, from two pools, is in
// db/pg/workflows.pg.test.ts; the rest of the requests queries run on both engines (requests.test.ts).

const now = new Date("2026-11-23T06:00:00.000Z");

describe("racing decisions on one card from two connections", () => {
  it("lets exactly one of many writers win", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-race-"));
    const file = path.join(dir, "race.db");
    const first = openDb(file);
    const merchantId = await createMerchant(first, "A");
    const shopId = await createShop(first, { merchantId, platform: "tmall", name: "A 天猫店" });
    const owner = (await getScope(first, await createUser(first, { merchantId, name: "老板", email: "owner@a.test", role: "owner" }))) as Scope;
    const agent = (await getScope(first, await createUser(first, { merchantId, name: "王芳", email: "wang@a.test", role: "agent" }))) as Scope;
    const orderId = await createOrder(first, { shopId, platform: "tmall" });
    const id = await createRequest(first, { shopId, orderId, platform: "tmall", receivedAt: new Date(now.getTime() - 150_000) });
    const connections = [first, openDb(file), openDb(file), openDb(file)];
    const results = await Promise.all(
      connections.map(async (db, index) =>
        decideRequest(db, index % 2 ? owner : agent, id, { decision: index % 2 ? "reject" : "approve", reasonCode: "other", message: "不行哦" }, now),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.code === "already_decided")).toHaveLength(3);
    expect(await first.select().from(auditLog).where(eq(auditLog.requestId, id))).toHaveLength(1);
    for (const db of connections) db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
