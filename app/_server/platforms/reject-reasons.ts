import type { Db } from "@/db/client";
import { getCachedRejectReasons, getNativeRefund, getPlatformAppForShop, recordPlatformError, storeRejectReasons } from "@/db/queries/platforms";
import { platformAdapters } from "@/app/_server/platforms/adapters";
import { defaultClientDeps, type ClientDeps } from "@/app/_server/platforms/client";
import type { RequestKind } from "@/lib/domain";
import { isRejectReasonListStale } from "@/lib/platforms/reject-reasons";
import type { PlatformRejectReason } from "@/lib/platforms/types";

// A connected shop's reject reasons, read from its platform and cached per shop and kind for a day
// (docs/platforms/reject-reasons.md). A failed read keeps the last list; with none, rejecting waits for one.

export type RejectReasonList = { reasons: PlatformRejectReason[]; fetchedAt: Date } | null;

/** The cached list when fresh, else read again from the platform (the stale list when the platform fails). */
export async function ensureRejectReasons(
  db: Db,
  card: { shopId: string; kind: RequestKind; platformRequestId: string },
  now: Date,
  deps: ClientDeps = defaultClientDeps,
): Promise<RejectReasonList> {
  const { shopId, kind } = card;
  const cached = await getCachedRejectReasons(db, shopId, kind);
  if (cached && !isRejectReasonListStale(cached.fetchedAt, now)) return cached;
  const app = await getPlatformAppForShop(db, shopId);
  if (!app) return null;
  try {
    // Taobao lists reasons per refund (its phase decides them), so the refund's platform state goes along
    const native = await getNativeRefund(db, shopId, card.platformRequestId);
    const reasons = await platformAdapters[app.protocol].fetchRejectReasons(deps, app, kind, native);
    await storeRejectReasons(db, shopId, kind, reasons, now);
    return { reasons, fetchedAt: now };
  } catch (error) {
    await recordPlatformError(db, shopId, `读取拒绝原因失败：${error instanceof Error ? error.message : String(error)}`, now);
    return cached;
  }
}
