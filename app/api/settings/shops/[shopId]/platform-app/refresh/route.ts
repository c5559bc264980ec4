import { withScope } from "@/app/_server/api";
import { defaultClientDeps } from "@/app/_server/platforms/client";
import { getDb } from "@/db/client";
import { handleRefreshNow } from "./handle-refresh";

// POST /api/settings/shops/:shopId/platform-app/refresh: 立即刷新 (handle-refresh.ts).
export const POST = withScope<{ shopId: string }>(async (_request, { scope, params }) => handleRefreshNow(getDb(), scope, params.shopId, defaultClientDeps), { role: "owner" });
