import type { Db } from "@/db/client";
import { isPlatformMessageSeen, listPlatformAppsByProtocol, type PlatformApp } from "@/db/queries/platforms";
import { ingestPlatformMessage } from "@/db/workflows/ingest";
import type { WebhookShop } from "@/db/queries/webhooks";
import { fetchWechatDetail, type ClientDeps } from "@/app/_server/platforms/client";
import { fetchWechatOrderFacts } from "@/app/_server/platforms/wechat-adapter";
import { PlatformMessageError } from "@/lib/platforms/common";
import { getWechatMessageId, mapWechatUpdate, openWechatPush, parseWechatAftersaleUpdate, verifyWechatSignature, wechatKinds, type WechatQuery } from "@/lib/platforms/wechat";
import { closingConnection, decodeBody, readBodyWithin } from "@/app/_server/read-body";
import { bodyLimits } from "@/lib/body-limits";

// /api/platforms/wechat/push: WeChat 小店 message push, plain or safe mode (docs/platforms/wechat.md). The
// push names no app, so the shop is the one whose token (and, in safe mode, AES key and appid) opens it. We answer
// the literal `success` only once the update is stored; anything else makes WeChat retry, and a retry of a stored
// message is answered `success` without a second detail fetch. A new after-sale's card carries the order's facts
// from the order API; when that API fails the card is stored anyway, with those facts marked unknown.

const text = (body: string, status = 200) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

const readQuery = (url: URL): WechatQuery & { echostr?: string } => Object.fromEntries(url.searchParams) as WechatQuery & { echostr?: string };

const getPushSettings = (app: PlatformApp) => ({ token: app.settings.wechatToken ?? "", aesKey: app.settings.wechatAesKey, appId: app.settings.wechatAppId });

/** GET when the URL is saved in the WeChat back office: echo `echostr` if a connected shop's token signed it. */
export async function handleWechatUrlCheck(db: Db, request: Request): Promise<Response> {
  const query = readQuery(new URL(request.url));
  const apps = await listPlatformAppsByProtocol(db, "wechat_ec");
  const isSigned = apps.some(({ app }) => app.settings.wechatToken && verifyWechatSignature(app.settings.wechatToken, query.timestamp ?? "", query.nonce ?? "", query.signature ?? ""));
  return isSigned && query.echostr ? text(query.echostr) : text("bad signature", 401);
}

export async function handleWechatPush(db: Db, request: Request, deps: ClientDeps): Promise<Response> {
  // Read within 256 KiB before anything else: past it the rest is never read and the connection closes
  const read = await readBodyWithin(request, bodyLimits.platformPush);
  if (!read.ok) return closingConnection(read.reason === "too_large" ? text("body too large", 413) : text("body unreadable", 400));
  const rawBody = decodeBody(read.bytes);
  const query = readQuery(new URL(request.url));

  // The signature is checked (and a safe-mode body opened) before anything in it is trusted
  let opened: { target: { app: PlatformApp; shop: WebhookShop }; event: Record<string, unknown> } | null = null;
  for (const target of await listPlatformAppsByProtocol(db, "wechat_ec")) {
    if (!target.app.settings.wechatToken) continue;
    try {
      opened = { target, event: openWechatPush(getPushSettings(target.app), query, rawBody) };
      break;
    } catch (error) {
      if (!(error instanceof PlatformMessageError)) throw error;
    }
  }
  if (!opened) return text("bad signature", 401);

  const { target, event } = opened;
  try {
    const update = parseWechatAftersaleUpdate(event);
    // Other events (orders, complaints) are not ours: acknowledged so WeChat does not retry them
    if (!update) return text("success");
    const messageId = getWechatMessageId(update);
    if (await isPlatformMessageSeen(db, target.shop.id, messageId)) return text("success");
    const fetchedAt = deps.now();
    const detail = await fetchWechatDetail(deps, target.app, update.afterSaleOrderId);
    const isNewCard = detail.status === "MERCHANT_PROCESSING" && Boolean(wechatKinds[detail.type]);
    const facts = isNewCard
      ? await fetchWechatOrderFacts(deps, target.app, { afterSaleOrderId: update.afterSaleOrderId, orderId: detail.orderId ?? update.orderId, productId: detail.productId, skuId: detail.skuId })
      : null;
    const mapped = mapWechatUpdate(update, detail, { facts, fetchedAt });
    await ingestPlatformMessage(db, { shop: target.shop, messageId, topic: "channels_ec_aftersale_update", rawBody: JSON.stringify(event), mapped, now: deps.now() });
  } catch (error) {
    if (error instanceof PlatformMessageError) return text(error.message, 422);
    console.error("[wechat push] failed:", error);
    return text("not stored", 500);
  }
  return text("success");
}
