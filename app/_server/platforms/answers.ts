import type { Db } from "@/db/client";
import type { DueDelivery } from "@/db/queries/outbox";
import { getNativeRefund, getPlatformAppForShop } from "@/db/queries/platforms";
import { getDouyinConfig, getWechatConfig, performCall, type ClientDeps } from "@/app/_server/platforms/client";
import { isDouyinAlreadyAnswered, isDouyinApiSuccess, planDouyinAnswer } from "@/lib/platforms/douyin";
import { isTaobaoAlreadyAnswered, isTaobaoAnswerSuccess, planTaobaoAnswer } from "@/lib/platforms/taobao";
import { getTopConfig } from "@/app/_server/platforms/tmc-consumer";
import { getRejectionProof } from "@/db/queries/platforms";
import type { AnswerPlan, OutboundDecision, PlatformCall } from "@/lib/platforms/types";
import { isWechatAlreadyAnswered, isWechatApiSuccess, planWechatAnswer } from "@/lib/platforms/wechat";
import { decisionEvent } from "@/lib/webhook/outbound";

// The outbox's platform leg (issue 11): a shop with a platform app gets the platform's own answer call
// instead of our signed decision POST. Same row, same retries; a state that already shows the answer
// (a resend after a lost response) counts as delivered, which is what keeps the call idempotent.

export type PlatformAnswerOutcome = { ok: true; detail: string } | { ok: false; error: string };

/** null: the shop has no platform app, so the outbox sends our own contract as before. */
export async function answerOnPlatform(db: Db, row: DueDelivery, deps: ClientDeps): Promise<PlatformAnswerOutcome | null> {
  const app = await getPlatformAppForShop(db, row.shopId);
  if (!app) return null;
  const parsed = decisionEvent.safeParse(JSON.parse(row.payload));
  if (!parsed.success) return { ok: false, error: "The outbox payload is not a decision" };
  const decision: OutboundDecision = parsed.data.data;
  const native = await getNativeRefund(db, row.shopId, decision.requestId);
  if (!native) return { ok: false, error: `No platform state for refund ${decision.requestId}: wait for its message` };
  const timestampS = Math.floor(deps.now().getTime() / 1000);
  let plan: AnswerPlan;
  let isSuccess: (body: unknown, call: PlatformCall) => boolean;
  switch (app.protocol) {
    case "douyin_push":
      if (isDouyinAlreadyAnswered(native)) return { ok: true, detail: `already answered (aftersale_status ${native.status})` };
      plan = planDouyinAnswer(getDouyinConfig(app), native, decision, app.settings, timestampS);
      isSuccess = isDouyinApiSuccess;
      break;
    case "taobao_tmc": {
      if (isTaobaoAlreadyAnswered(native)) return { ok: true, detail: `already answered (status ${native.status})` };
      const proof = decision.decision === "reject" ? await getRejectionProof(db, row.shopId, decision.requestId) : null;
      plan = planTaobaoAnswer(getTopConfig(app), native, decision, app.settings, deps.now(), proof ?? undefined);
      isSuccess = (body, call) => isTaobaoAnswerSuccess(body, call.apiMethod ?? "");
      break;
    }
    case "wechat_ec":
      if (isWechatAlreadyAnswered(native)) return { ok: true, detail: `already answered (status ${native.status})` };
      plan = planWechatAnswer(getWechatConfig(app), native, decision, app.settings);
      isSuccess = isWechatApiSuccess;
      break;
  }
  if (!plan.ok) return { ok: false, error: plan.error };
  try {
    for (const call of plan.calls) {
      const body = await performCall(deps, call);
      if (!isSuccess(body, call)) return { ok: false, error: `Platform refused ${new URL(call.url).pathname}: ${JSON.stringify(body).slice(0, 300)}` };
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  return { ok: true, detail: `${plan.calls.length} call(s)` };
}
