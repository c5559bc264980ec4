import type { Db } from "@/db/client";
import { isPlatformMessageSeen, listPlatformAppsByKey } from "@/db/queries/platforms";
import { ingestPlatformMessage } from "@/db/workflows/ingest";
import { fetchDouyinDetail, type ClientDeps } from "@/app/_server/platforms/client";
import { fetchDouyinOrderFacts } from "@/app/_server/platforms/douyin-adapter";
import { PlatformMessageError } from "@/lib/platforms/common";
import { getDouyinOrderRef, mapDouyinMessage } from "@/lib/platforms/douyin/messages";
import { douyinHeaders, douyinPushFail, douyinPushOk, getDouyinAftersaleId, getDouyinShopId, isDouyinRefundTag, needsDouyinDetail, parseDouyinPush, verifyDouyinPush } from "@/lib/platforms/douyin/push";
import { closingConnection, decodeBody, readBodyWithin } from "@/app/_server/read-body";
import { bodyLimits } from "@/lib/body-limits";

// POST /api/platforms/douyin/push (docs/platforms/douyin.md): Douyin's own push, verified with the app's event-sign and
// answered {"code":0,"msg":"success"} only once every message in it is stored; anything else is
// {"code":1,…} so that Douyin redelivers (messages already stored are then acknowledged by their msg_id).
// A created after-sale also reads its order's facts (shipped, received, completed, category, earlier refunds);
// an order API that fails leaves those facts unknown on the card instead of holding the message back.

const fail = (status: number, msg: string) => Response.json({ ...douyinPushFail, msg }, { status, headers: { "cache-control": "no-store" } });

export async function handleDouyinPush(db: Db, request: Request, deps: ClientDeps): Promise<Response> {
  // Read within 256 KiB before anything else: past it the rest is never read and the connection closes
  const read = await readBodyWithin(request, bodyLimits.platformPush);
  if (!read.ok) return closingConnection(read.reason === "too_large" ? fail(413, "body too large") : fail(400, "body unreadable"));
  const rawBody = decodeBody(read.bytes);

  const appKey = request.headers.get(douyinHeaders.appId) ?? "";
  const shopsOfApp = appKey ? await listPlatformAppsByKey(db, "douyin_push", appKey) : [];
  const sign = request.headers.get(douyinHeaders.sign) ?? "";
  // One app, one secret: the sign is checked before anything in the body is read
  const [first] = shopsOfApp;
  if (!first || !verifyDouyinPush(appKey, first.app.appSecret, rawBody, sign)) return fail(401, "bad sign");

  try {
    for (const message of parseDouyinPush(rawBody)) {
      if (!isDouyinRefundTag(message.tag)) continue;
      const platformShopId = getDouyinShopId(message);
      const target = shopsOfApp.find((candidate) => candidate.app.platformShopId === platformShopId);
      if (!target) throw new PlatformMessageError(`shop_id ${platformShopId} is not connected to this app`);
      const now = deps.now();
      if (await isPlatformMessageSeen(db, target.shop.id, message.msgId)) continue;
      const aftersaleId = getDouyinAftersaleId(message);
      const detail = needsDouyinDetail(message) ? await fetchDouyinDetail(deps, target.app, aftersaleId) : null;
      const facts = message.tag === 200 && detail ? await fetchDouyinOrderFacts(deps, target.app, getDouyinOrderRef(message, detail)) : undefined;
      const mapped = mapDouyinMessage(message, detail, { receivedAt: now, facts });
      await ingestPlatformMessage(db, { shop: target.shop, messageId: message.msgId, topic: String(message.tag), rawBody: JSON.stringify(message), mapped, now });
    }
  } catch (error) {
    if (error instanceof PlatformMessageError) return fail(422, error.message);
    console.error("[douyin push] failed:", error);
    return fail(500, "not stored");
  }
  return Response.json(douyinPushOk, { headers: { "cache-control": "no-store" } });
}
