import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createMerchant, createUser } from "@/db/factories";
import { listOnlineUserIds, prunePresence, readPresence, writePresence } from "@/db/queries/presence";
import { presence } from "@/db/schema-presence";
import { presenceGraceMs } from "@/lib/presence";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-23T06:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const started = ago(3_600_000);

describe("presence rows", () => {
  let db: Db;
  let wang: string;
  let zhao: string;

  beforeEach(async () => {
    db = await openTestDb();
    const merchantId = await createMerchant(db, "A");
    wang = await createUser(db, { merchantId, name: "王芳", email: "w@a.test", role: "agent" });
    zhao = await createUser(db, { merchantId, name: "赵强", email: "z@a.test", role: "agent" });
  });
  afterEach(async () => closeTestDb(db));

  it("keeps one row per user and instance, the last write winning", async () => {
    await writePresence(db, "ins_a", new Map([[wang, 1]]), ago(4_000));
    await writePresence(db, "ins_a", new Map([[wang, 2], [zhao, 1]]), ago(2_000));
    await writePresence(db, "ins_b", new Map([[wang, 1]]), ago(1_000));
    const rows = await db.select().from(presence);
    expect(rows.map((row) => [row.userId === wang ? "wang" : "zhao", row.instanceId, row.streams, row.lastSeenAt.getTime()]).sort()).toEqual(
      [
        ["wang", "ins_a", 2, ago(2_000).getTime()],
        ["wang", "ins_b", 1, ago(1_000).getTime()],
        ["zhao", "ins_a", 1, ago(2_000).getTime()],
      ].sort(),
    );
  });

  it("lists as online the users with an open stream written within the grace window", async () => {
    await writePresence(db, "ins_a", new Map([[wang, 1]]), ago(presenceGraceMs));
    await writePresence(db, "ins_a", new Map([[zhao, 1]]), ago(presenceGraceMs + 1));
    expect(await listOnlineUserIds(db, now)).toEqual(new Set([wang]));
    await writePresence(db, "ins_a", new Map([[wang, 0]]), now);
    expect(await listOnlineUserIds(db, now)).toEqual(new Set());
  });

  it("reads each user's presence across instances, and a user without rows as offline since the start", async () => {
    await writePresence(db, "ins_a", new Map([[wang, 0]]), ago(30_000));
    await writePresence(db, "ins_b", new Map([[wang, 1]]), ago(20_000));
    const read = await readPresence(db, [wang, zhao], now, started);
    expect(read.get(wang)).toEqual({ isOnline: false, offlineSince: ago(20_000) });
    expect(read.get(zhao)).toEqual({ isOnline: false, offlineSince: started });
    await writePresence(db, "ins_b", new Map([[wang, 1]]), now);
    expect((await readPresence(db, [wang], now, started)).get(wang)).toEqual({ isOnline: true, offlineSince: null });
  });

  it("forgets rows last written before the cut-off", async () => {
    await writePresence(db, "ins_a", new Map([[wang, 1]]), ago(2 * 86_400_000));
    await writePresence(db, "ins_b", new Map([[zhao, 0]]), ago(1_000));
    expect(await prunePresence(db, ago(86_400_000))).toBe(1);
    expect((await db.select().from(presence)).map((row) => row.userId)).toEqual([zhao]);
  });
});
