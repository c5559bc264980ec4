import type { Db } from "@/db/client";
import { runExclusively } from "@/db/queries/loop-lock";
import { isPlatformMessageSeen, listConsumerApps, storeRejectReasons, type PlatformApp } from "@/db/queries/platforms";
import { ingestPlatformMessage } from "@/db/workflows/ingest";
import type { WebhookShop } from "@/db/queries/webhooks";
import { defaultClientDeps, performCall, type ClientDeps } from "@/app/_server/platforms/client";
import { fetchTaobaoOrderFacts, fetchTaobaoRejectReasons, getTopConfig, type TaobaoOrderRead } from "@/app/_server/platforms/taobao-adapter";
import { PlatformMessageError } from "@/lib/platforms/common";
import { routeTaobaoAnswer } from "@/lib/platforms/taobao/answers";
import { getTaobaoRefundId, isTaobaoRefundTopic, mapTaobaoMessage, parseTaobaoRefund, parseTmcMessage, taobaoRefundFields, type TaobaoRefundDetail } from "@/lib/platforms/taobao/messages";
import { buildTopCall, readTopResponse } from "@/lib/platforms/taobao/top-api";
import { getRejectReasonListKey } from "@/lib/platforms/reject-reasons";
import type { NativeRefund } from "@/lib/platforms/types";

// The Taobao TMC consumer (docs/platforms/taobao.md), HTTP variant: taobao.tmc.messages.consume every 5 s, each
// message stored through the shared ingest, then confirmed (s_message_ids); a message that fails is reported in
// f_message_ids, so TMC redelivers it. The WebSocket variant (tmc-ws-consumer.ts) stores through the same storeTmcMessage.

export { getTopConfig };

export type ConsumeResult = { stored: number; duplicates: number; failed: number; ignored: number };
export type TmcTarget = { app: PlatformApp; shop: WebhookShop };

export const getTmcGroup = (app: PlatformApp) => app.settings.tmcGroup ?? "default";

/** The order's facts, or null when the order API fails: the card is stored anyway, with those facts unknown. */
async function readOrderFacts(deps: ClientDeps, app: PlatformApp, detail: TaobaoRefundDetail): Promise<TaobaoOrderRead | null> {
  try {
    return await fetchTaobaoOrderFacts(deps, app, { refundId: detail.refundId, tid: detail.tid, oid: detail.oid });
  } catch (error) {
    console.warn(`[tmc] trade.fullinfo.get for refund ${detail.refundId} failed; its order facts stay unknown:`, error instanceof Error ? error.message : error);
    return null;
  }
}

/** Taobao lists reject reasons per refund: each refund the seller can still refuse refreshes the shop's list for its kind, phase and state. */
async function cacheRejectReasons(db: Db, target: TmcTarget, native: NativeRefund, deps: ClientDeps): Promise<void> {
  if (!native.kind || !routeTaobaoAnswer(native, "reject", target.app.settings.isTmall === true).ok) return;
  try {
    const reasons = await fetchTaobaoRejectReasons(deps, target.app, native);
    if (reasons.length > 0) await storeRejectReasons(db, target.shop.id, getRejectReasonListKey(native.kind, native), reasons, deps.now());
  } catch (error) {
    console.warn(`[tmc] reject reasons for refund ${native.refundId} could not be read:`, error instanceof Error ? error.message : error);
  }
}

/**
 * One TMC message (consume's fields or a WebSocket frame's) fetched and stored through the shared ingest; both
 * variants confirm it only after this returns. Throws when it must be redelivered (refund.get failed); the order's
 * facts and the reject reasons are read best-effort and never hold a card back.
 */
export async function storeTmcMessage(db: Db, target: TmcTarget | null, raw: Record<string, unknown>, deps: ClientDeps): Promise<"stored" | "duplicate" | "ignored"> {
  const message = parseTmcMessage(raw);
  // Another seller's or another topic's message: confirmed without work, or TMC would redeliver it forever
  if (!target || !isTaobaoRefundTopic(message.topic) || message.sellerNick !== target.app.platformShopId) return "ignored";
  if (await isPlatformMessageSeen(db, target.shop.id, message.messageId)) return "duplicate";
  const config = getTopConfig(target.app);
  const detailCall = buildTopCall(config, "taobao.refund.get", { refund_id: getTaobaoRefundId(message), fields: taobaoRefundFields }, deps.now());
  const detail = parseTaobaoRefund(await performCall(deps, detailCall));
  const order = await readOrderFacts(deps, target.app, detail);
  const mapped = mapTaobaoMessage(message, detail, order ? { facts: order.facts, factsReadAt: deps.now(), tradeModified: order.tradeModified } : { facts: null });
  const stored = await ingestPlatformMessage(db, { shop: target.shop, messageId: message.messageId, topic: message.topic, rawBody: JSON.stringify(raw), mapped, now: deps.now() });
  if (!stored.duplicate && mapped.native) await cacheRejectReasons(db, target, mapped.native, deps);
  return stored.duplicate ? "duplicate" : "stored";
}

/** One consume → store → confirm round for one shop's app. */
export async function consumeOnce(db: Db, target: TmcTarget, deps: ClientDeps): Promise<ConsumeResult> {
  const config = getTopConfig(target.app);
  const consumed = readTopResponse(await performCall(deps, buildTopCall(config, "taobao.tmc.messages.consume", { quantity: "100", group_name: getTmcGroup(target.app) }, deps.now())), "taobao.tmc.messages.consume");
  const list = ((consumed.messages as { tmc_message?: unknown[] } | undefined)?.tmc_message ?? []) as Record<string, unknown>[];
  const result: ConsumeResult = { stored: 0, duplicates: 0, failed: 0, ignored: 0 };
  const confirmed: string[] = [];
  const failed: string[] = [];
  for (const raw of list) {
    const rawId = String(raw.id);
    try {
      const outcome = await storeTmcMessage(db, target, raw, deps);
      result[outcome === "stored" ? "stored" : outcome === "duplicate" ? "duplicates" : "ignored"]++;
      confirmed.push(rawId);
    } catch (error) {
      result.failed++;
      failed.push(rawId);
      if (!(error instanceof PlatformMessageError)) console.error("[tmc] message failed:", error);
    }
  }
  // confirm takes at most 200 ids per call
  for (let start = 0; start < Math.max(confirmed.length, failed.length); start += 200) {
    const params = {
      ...(confirmed.length > start ? { s_message_ids: confirmed.slice(start, start + 200).join(",") } : {}),
      ...(failed.length > start ? { f_message_ids: failed.slice(start, start + 200).join(",") } : {}),
    };
    readTopResponse(await performCall(deps, buildTopCall(config, "taobao.tmc.messages.confirm", params, deps.now())), "taobao.tmc.messages.confirm");
  }
  return result;
}

const globalForConsumer = globalThis as unknown as { tmcConsumer?: { stop: () => void } };

/** Pulls every 5 s for each shop whose app has consumer_enabled; one loop per process. */
export function startTmcConsumer(getDb: () => Db, intervalMs = 5_000, deps: ClientDeps = defaultClientDeps): { stop: () => void } {
  if (globalForConsumer.tmcConsumer) return globalForConsumer.tmcConsumer;
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  const tick = async () => {
    try {
      await runExclusively(getDb(), "tmc", async () => {
        for (const target of await listConsumerApps(getDb(), "taobao_tmc")) {
          await consumeOnce(getDb(), target, deps).catch((error: unknown) => console.error(`[tmc] shop ${target.shop.id}:`, error));
        }
      });
    } finally {
      if (!isStopped) {
        timer = setTimeout(() => void tick(), intervalMs);
        timer.unref();
      }
    }
  };
  timer = setTimeout(() => void tick(), intervalMs);
  timer.unref();
  globalForConsumer.tmcConsumer = {
    stop: () => {
      isStopped = true;
      clearTimeout(timer);
      globalForConsumer.tmcConsumer = undefined;
    },
  };
  return globalForConsumer.tmcConsumer;
}
