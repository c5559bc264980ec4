import type { Db } from "@/db/client";
import { getCachedRejectReasons, getNativeRefund, getPlatformAppForShop, recordPlatformError, storeRejectReasons } from "@/db/queries/platforms";
import { platformAdapters } from "@/app/_server/platforms/adapters";
import { defaultClientDeps, type ClientDeps } from "@/app/_server/platforms/client";
import type { RequestKind } from "@/lib/domain";
import { getRejectReasonListKey, isRejectReasonListStale } from "@/lib/platforms/reject-reasons";
import type { PlatformRejectReason } from "@/lib/platforms/types";

// A connected shop's reject reasons, read from its platform and cached per shop and list key (the kind, and on
// Taobao/Tmall the refund's phase and state) for a day (docs/platforms/reject-reasons.md). A failed read keeps the
// last list and says so (isStale); with none, rejecting waits for one.

/** isStale: the platform could not be read just now, so this is the last list it gave (fetchedAt says when). */
export type RejectReasonList = { reasons: PlatformRejectReason[]; fetchedAt: Date; isStale: boolean } | null;

/** The cached list when fresh, else read again from the platform (the stale list when the platform fails). */
export async function ensureRejectReasons(
  db: Db,
  card: { shopId: string; kind: RequestKind; platformRequestId: string },
  now: Date,
  deps: ClientDeps = defaultClientDeps,
): Promise<RejectReasonList> {
  const { shopId, kind } = card;
  // Taobao lists reasons per refund (its phase and state decide them), so the refund's platform state keys the list
  const native = await getNativeRefund(db, shopId, card.platformRequestId);
  const key = getRejectReasonListKey(kind, native);
  const cached = await getCachedRejectReasons(db, shopId, key);
  if (cached && !isRejectReasonListStale(cached.fetchedAt, now)) return { ...cached, isStale: false };
  const app = await getPlatformAppForShop(db, shopId);
  if (!app) return null;
  try {
    const reasons = await platformAdapters[app.protocol].fetchRejectReasons(deps, app, kind, native);
    await storeRejectReasons(db, shopId, key, reasons, now);
    return { reasons, fetchedAt: now, isStale: false };
  } catch (error) {
    await recordPlatformError(db, shopId, `读取拒绝原因失败：${error instanceof Error ? error.message : String(error)}`, now);
    return cached ? { ...cached, isStale: true } : null;
  }
}
