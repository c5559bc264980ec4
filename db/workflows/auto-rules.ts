import { and, eq, gte, lt, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { getHotRow } from "@/db/dialect-workflows";
import { auditLog, orders, requests } from "@/db/schema";
import { autoRuleSets } from "@/db/schema-rules";
import { readPolicySnapshot } from "@/db/queries/decision-policy";
import { applyDecisionToRollup } from "@/db/queries/metrics/upkeep";
import { enqueueDecision } from "@/db/queries/outbox";
import { buyerWindowMs } from "@/db/queries/rules";
import { openOrderEntry } from "@/db/workflows/entry";
import { getAutoAnswer, getEffectiveRules, isApproveAllowed, usesBuyerHistory, type AutoAnswer, type RuleFacts } from "@/lib/rules/match";

// A shop's automatic rules answering a card as it arrives (the rules themselves and their backtest: db/queries/rules.ts).

/** The buyer's other requests in the shop received in [t − 90 days, t); the same window the backtest counts. */
async function countBuyerRequests(tx: Tx, input: { shopId: string; buyerId: string; requestId: string; receivedAt: Date }): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(orders)
    .innerJoin(requests, eq(requests.orderId, orders.id))
    .where(
      and(
        eq(orders.shopId, input.shopId),
        eq(orders.buyerId, input.buyerId),
        gte(requests.receivedAt, new Date(input.receivedAt.getTime() - buyerWindowMs)),
        lt(requests.receivedAt, input.receivedAt),
        ne(requests.id, input.requestId),
      ),
    );
  return row?.count ?? 0;
}

type RuleAuditEntry = Pick<typeof auditLog.$inferInsert, "action" | "detail" | "fromStatus" | "toStatus">;

/** The card's audit row for what a rule did or would have done: no actor, the rule named in the detail. */
async function writeRuleAudit(tx: Tx, card: { shopId: string; requestId: string; orderId: string }, entry: RuleAuditEntry, now: Date): Promise<void> {
  await tx.insert(auditLog).values({ ...card, actorId: null, ...entry, at: now });
}

/**
 * Runs the shop's rules on a request just stored, inside the transaction that stored it (webhook
 * ingest): a live rule approves it at once (a re-open opens the entry), like an agent's approval but
 * with no person (decidedBy null, so the metrics count it as a rule's answer); a 只记录 rule only tags
 * the card. Platform rules still hold: an ineligible request is left to a person.
 */
export async function applyAutoRules(tx: Tx, requestId: string, now: Date): Promise<AutoAnswer> {
  // Runs for every request received: prepared once per connection on SQLite
  const row = await getHotRow(
    tx,
    "rules:apply",
    (params) =>
      tx
        .select({ request: requests, order: orders, set: autoRuleSets })
        .from(requests)
        .innerJoin(orders, eq(orders.id, requests.orderId))
        .innerJoin(autoRuleSets, eq(autoRuleSets.shopId, requests.shopId))
        .where(eq(requests.id, params.requestId)),
    { requestId },
  );
  if (!row || row.request.status !== "pending") return null;
  const { request, order, set } = row;
  const rules = getEffectiveRules({ autoOpenEntry: set.autoOpenEntry, rules: set.rules });
  if (!rules.some((rule) => rule.enabled)) return null;
  const facts: RuleFacts = {
    platform: request.platform,
    kind: request.kind,
    category: order.category,
    orderAmountFen: order.amountFen,
    requestedAmountFen: request.amountFen,
    completedAtMs: order.completedAt?.getTime() ?? null,
    receivedAtMs: request.receivedAt.getTime(),
    reasonCode: request.reasonCode,
    hasEvidence: request.evidence.length > 0,
    buyerRequests90d: usesBuyerHistory(rules)
      ? await countBuyerRequests(tx, { shopId: request.shopId, buyerId: order.buyerId, requestId, receivedAt: request.receivedAt })
      : null,
  };
  const answer = await getAutoAnswer(rules, facts, async () => {
    const snapshot = await readPolicySnapshot(tx, requestId);
    return snapshot !== null && isApproveAllowed(snapshot.profile, snapshot.order, snapshot.policyRequest, now);
  });
  if (!answer) return null;
  const ruleDetail = { ruleId: answer.rule.id, ruleName: answer.rule.name };
  const card = { shopId: request.shopId, requestId, orderId: order.id };
  if (answer.outcome !== "approve") {
    // 只记录, or matched but the platform forbids approving: the card says so, a person decides
    await writeRuleAudit(tx, card, { action: answer.outcome === "dry_run" ? "rule_dry_run" : "rule_not_eligible", detail: { ...ruleDetail, wouldDecide: "approve" } }, now);
    return answer;
  }
  const updated = await tx
    .update(requests)
    // A rule's answer is final at once: there is no author to undo it
    .set({ status: "approved", decision: "approve", decidedAt: now, decidedBy: null, finalAt: now, version: sql`${requests.version} + 1` })
    .where(and(eq(requests.id, requestId), eq(requests.status, "pending")))
    .returning({ id: requests.id });
  if (updated.length !== 1) return null;
  await writeRuleAudit(tx, card, { action: "approved_by_rule", fromStatus: "pending", toStatus: "approved", detail: ruleDetail }, now);
  // Approving a re-open request opens the order's entry (docs/domain/after-sales-entry.md); eligibility was checked just above in this transaction
  if (request.kind === "entry_reopen") {
    const opened = await openOrderEntry(tx, { orderId: order.id, actorId: null, requestId, source: "request", now });
    if (!opened.ok) throw new Error(`Entry of order ${order.id} could not be opened: ${opened.eligibility.reason}`);
  }
  await applyDecisionToRollup(tx, requestId);
  await enqueueDecision(tx, requestId, now);
  return answer;
}
