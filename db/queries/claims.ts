import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { auditLog, requests, shopAccess, shops, users } from "@/db/schema";
import type { Scope } from "@/db/queries/users";
import { allRaw } from "@/db/raw";
import { isClaimLapsed, pickAssignee } from "@/lib/assignment";
import type { AuditAction } from "@/lib/audit-actions";

export type ClaimResult =
  | { ok: true }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "not_pending" }
  | { ok: false; code: "claimed_by_other"; claimedBy: { id: string; name: string } | null }
  | { ok: false; code: "not_allowed" };

async function readScopedPending(tx: Tx, scope: Scope, id: string) {
  const [row] = await tx
    .select({ id: requests.id, shopId: requests.shopId, orderId: requests.orderId, status: requests.status, claimedBy: requests.claimedBy })
    .from(requests)
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .where(and(eq(requests.id, id), inArray(requests.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId)))
    .limit(1);
  return row;
}

async function writeClaimAudit(tx: Tx, row: { id: string; shopId: string; orderId: string }, actorId: string | null, action: AuditAction, detail: Record<string, unknown>, now: Date) {
  await tx.insert(auditLog).values({ shopId: row.shopId, requestId: row.id, orderId: row.orderId, actorId, action, detail, at: now });
}

/** 认领: only an unclaimed pending card (or one already yours); two agents racing → one wins. */
export async function claimRequest(db: Db, scope: Scope, id: string, now: Date): Promise<ClaimResult> {
  if (scope.shopIds.length === 0) return { ok: false, code: "not_found" };
  return transact(db, async (tx): Promise<ClaimResult> => {
    const row = await readScopedPending(tx, scope, id);
    if (!row) return { ok: false, code: "not_found" };
    if (row.status !== "pending") return { ok: false, code: "not_pending" };
    const updated = await tx
      .update(requests)
      .set({ claimedBy: scope.userId, claimedAt: now })
      .where(and(eq(requests.id, id), eq(requests.status, "pending"), or(isNull(requests.claimedBy), eq(requests.claimedBy, scope.userId))))
      .returning({ id: requests.id });
    if (updated.length !== 1) {
      const [holder] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.claimedBy ?? "")).limit(1);
      return { ok: false, code: "claimed_by_other", claimedBy: holder ?? null };
    }
    await writeClaimAudit(tx, row, scope.userId, "claimed", {}, now);
    return { ok: true };
  });
}

/** Gives a claim back: your own, or any as the owner. */
export async function releaseClaim(db: Db, scope: Scope, id: string, now: Date): Promise<ClaimResult> {
  if (scope.shopIds.length === 0) return { ok: false, code: "not_found" };
  return transact(db, async (tx): Promise<ClaimResult> => {
    const row = await readScopedPending(tx, scope, id);
    if (!row) return { ok: false, code: "not_found" };
    if (!row.claimedBy) return { ok: true };
    if (row.claimedBy !== scope.userId && scope.role !== "owner") return { ok: false, code: "not_allowed" };
    await tx.update(requests).set({ claimedBy: null, claimedAt: null }).where(and(eq(requests.id, id), eq(requests.claimedBy, row.claimedBy)));
    await writeClaimAudit(tx, row, scope.userId, "released", { from: row.claimedBy }, now);
    return { ok: true };
  });
}

async function mayWorkShop(tx: Tx, userId: string, shopId: string): Promise<boolean> {
  const [user] = await tx.select({ merchantId: users.merchantId, allShops: users.allShops }).from(users).where(eq(users.id, userId)).limit(1);
  const [shop] = await tx.select({ merchantId: shops.merchantId }).from(shops).where(eq(shops.id, shopId)).limit(1);
  if (!user || !shop || user.merchantId !== shop.merchantId) return false;
  if (user.allShops) return true;
  const [access] = await tx.select({ userId: shopAccess.userId }).from(shopAccess).where(and(eq(shopAccess.userId, userId), eq(shopAccess.shopId, shopId))).limit(1);
  return Boolean(access);
}

/** The owner hands a card to someone who may work its shop. */
export async function assignRequest(db: Db, scope: Scope, id: string, assigneeId: string, now: Date): Promise<ClaimResult> {
  if (scope.role !== "owner") return { ok: false, code: "not_allowed" };
  return transact(db, async (tx): Promise<ClaimResult> => {
    const row = await readScopedPending(tx, scope, id);
    if (!row) return { ok: false, code: "not_found" };
    if (row.status !== "pending") return { ok: false, code: "not_pending" };
    if (!await mayWorkShop(tx, assigneeId, row.shopId)) return { ok: false, code: "not_allowed" };
    await tx.update(requests).set({ claimedBy: assigneeId, claimedAt: now }).where(eq(requests.id, id));
    await writeClaimAudit(tx, row, scope.userId, "assigned", { to: assigneeId, from: row.claimedBy }, now);
    return { ok: true };
  });
}

export type AgentLoad = { userId: string; name: string; role: string; openClaims: number };

export async function listAgentLoads(db: Db, merchantId: string): Promise<AgentLoad[]> {
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      role: users.role,
      openClaims: sql<number>`(select count(*) from ${requests} where ${requests.claimedBy} = ${users.id} and ${requests.status} = 'pending')`.mapWith(Number),
    })
    .from(users)
    .where(eq(users.merchantId, merchantId))
    .orderBy(users.name);
  return rows;
}

/** What a person did with a card's claim: a card with any of these is never auto-assigned (it stays where they left it). */
const claimHistoryActions = ["claimed", "released", "assigned", "claim_lapsed"] as const;

const claimHistorySql = `select 1 from "audit_log" "history" where "history"."request_id" = "requests"."id" and "history"."action" in (${claimHistoryActions.map((action) => `'${action}'`).join(", ")})`;

/**
 * Cards the assignment sweep may hand out, in arrival order: pending and unclaimed, never claimed or assigned
 * before, in a shop with auto-assignment on, arrived (their "received" audit row) at or after `arrivedSince` and
 * since the shop turned auto-assignment on. The literal action keeps the query on audit_received_idx.
 */
export async function listAssignableCards(db: Db, arrivedSince: Date): Promise<string[]> {
  const rows = await allRaw<{ request_id: string }>(
    db,
    `select "received"."request_id" from "audit_log" "received"
       join "requests" on "requests"."id" = "received"."request_id"
       join "shops" on "shops"."id" = "requests"."shop_id"
     where "received"."action" = 'received' and "received"."at" >= ?
       and "shops"."auto_assign" = true and ("shops"."auto_assign_since" is null or "received"."at" >= "shops"."auto_assign_since")
       and "requests"."status" = 'pending' and "requests"."claimed_by" is null
       and not exists (${claimHistorySql})
     order by "received"."id"`,
    [arrivedSince.getTime()],
  );
  return rows.map((row) => row.request_id);
}

/**
 * One card of a shop with auto-assignment, inside the caller's transaction: to the longest-idle online agent who
 * may work its shop and is under the cap, else nobody (it stays in the shared queue). The update only lands on a
 * card still unclaimed, so of two sweeps (or a sweep and an agent's 认领) exactly one wins.
 */
export async function assignToOnlineAgent(tx: Tx, requestId: string, onlineUserIds: ReadonlySet<string>, now: Date): Promise<string | null> {
  const [row] = await tx
    .select({ id: requests.id, shopId: requests.shopId, orderId: requests.orderId, status: requests.status, claimedBy: requests.claimedBy, autoAssign: shops.autoAssign, cap: shops.assignCap, merchantId: shops.merchantId })
    .from(requests)
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .where(eq(requests.id, requestId))
    .limit(1);
  if (!row || !row.autoAssign || row.status !== "pending" || row.claimedBy) return null;
  const [hasHistory] = await tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.requestId, requestId), inArray(auditLog.action, [...claimHistoryActions])))
    .limit(1);
  if (hasHistory) return null;
  const agents: { id: string }[] = [];
  for (const agent of await tx.select({ id: users.id }).from(users).where(and(eq(users.merchantId, row.merchantId), eq(users.role, "agent")))) {
    if (onlineUserIds.has(agent.id) && (await mayWorkShop(tx, agent.id, row.shopId))) agents.push(agent);
  }
  // Idle = time since the agent last took or was given a card (claims stay on decided cards).
  const candidates = [];
  for (const agent of agents) {
    const [stats] = await tx
      .select({
        openClaims: sql<number>`coalesce(sum(case when ${requests.status} = 'pending' then 1 else 0 end), 0)`.mapWith(Number),
        lastClaimedAt: sql<number | null>`max(${requests.claimedAt})`.mapWith(Number),
      })
      .from(requests)
      .where(eq(requests.claimedBy, agent.id));
    candidates.push({ userId: agent.id, isOnline: true, openClaims: stats?.openClaims ?? 0, lastActiveAt: stats?.lastClaimedAt ? new Date(stats.lastClaimedAt) : null });
  }
  const assignee = pickAssignee(candidates, row.cap);
  if (!assignee) return null;
  const updated = await tx
    .update(requests)
    .set({ claimedBy: assignee, claimedAt: now })
    .where(and(eq(requests.id, row.id), eq(requests.status, "pending"), isNull(requests.claimedBy)))
    .returning({ id: requests.id });
  if (updated.length !== 1) return null;
  await writeClaimAudit(tx, row, null, "assigned", { to: assignee, auto: true }, now);
  return assignee;
}

/** Who holds a claim on a pending card now. */
export async function listClaimHolders(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: requests.claimedBy })
    .from(requests)
    .where(and(eq(requests.status, "pending"), isNotNull(requests.claimedBy)));
  return rows.flatMap((row) => (row.userId ? [row.userId] : []));
}

/** Claims of agents offline for the grace period go back to the shared queue (and stay there: never auto-assigned again). */
export async function releaseLapsedClaims(db: Db, presence: (userId: string) => { isOnline: boolean; offlineSince: Date | null }, now: Date): Promise<number> {
  const claimed = await db
    .select({ id: requests.id, shopId: requests.shopId, orderId: requests.orderId, claimedBy: requests.claimedBy, claimedAt: requests.claimedAt })
    .from(requests)
    .where(and(eq(requests.status, "pending"), isNotNull(requests.claimedBy)));
  let released = 0;
  for (const row of claimed) {
    if (!row.claimedBy || !isClaimLapsed(presence(row.claimedBy), now, undefined, row.claimedAt)) continue;
    // IMMEDIATE: the write lock first, so a write by another connection in between waits instead of failing
    await transact(db, async (tx) => {
        const updated = await tx
          .update(requests)
          .set({ claimedBy: null, claimedAt: null })
          .where(and(eq(requests.id, row.id), eq(requests.status, "pending"), eq(requests.claimedBy, row.claimedBy!)))
          .returning({ id: requests.id });
        if (updated.length === 1) {
          await writeClaimAudit(tx, row, null, "claim_lapsed", { from: row.claimedBy }, now);
          released++;
        }
      });
  }
  return released;
}
