import { ApiError, requestJson } from "@/components/request-json";
import { recordServerTime } from "@/components/server-clock";
import type { AlreadyDecidedError, AuditEntry, RejectReasonsBody, RequestCard, RequestPage } from "@/lib/api-types";
import type { InboxStatusFilter } from "@/lib/api-schemas";
import type { Decision, Platform, RequestKind } from "@/lib/domain";

export type InboxFilters = { status: InboxStatusFilter; platform?: Platform; kind?: RequestKind; shop?: string; q?: string };

/** One factory for every query key, so invalidation can't miss a list. */
export const requestKeys = {
  all: ["requests"] as const,
  lists: () => [...requestKeys.all, "list"] as const,
  list: (filters: InboxFilters) => [...requestKeys.lists(), filters] as const,
  detail: (id: string) => [...requestKeys.all, "detail", id] as const,
  /** Without filters: every pending card of the user's shops (the tab title's count); with them, the tabs' counts. */
  counts: (filters: CountFilters = {}) => {
    const search = toFilterParams(filters).toString();
    return search ? ([...requestKeys.all, "counts", search] as const) : ([...requestKeys.all, "counts"] as const);
  },
};

/** The list's filters that the tab counts follow: everything but the tab itself. */
export type CountFilters = Omit<InboxFilters, "status"> & { status?: InboxFilters["status"] };

function toFilterParams(filters: CountFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.platform) params.set("platform", filters.platform);
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.shop) params.set("shop", filters.shop);
  if (filters.q) params.set("q", filters.q);
  return params;
}

export type PendingCounts = { pending: number; dueSoon: number; overdue: number; serverNow: string };

export async function fetchPendingCounts(filters: CountFilters = {}): Promise<PendingCounts> {
  const sentAtMs = Date.now();
  const search = toFilterParams(filters).toString();
  const counts = await requestJson<PendingCounts>(`/api/requests/counts${search ? `?${search}` : ""}`);
  recordServerTime(counts.serverNow, sentAtMs, Date.now());
  return counts;
}

export async function fetchRequestPage(filters: InboxFilters, cursor: string | null): Promise<RequestPage> {
  const params = toFilterParams(filters);
  params.set("status", filters.status);
  if (cursor) params.set("cursor", cursor);
  const sentAtMs = Date.now();
  const page = await requestJson<RequestPage>(`/api/requests?${params}`);
  recordServerTime(page.serverNow, sentAtMs, Date.now());
  return page;
}

export async function fetchRequestDetail(id: string): Promise<{ card: RequestCard; audit: AuditEntry[]; serverNow: string }> {
  return requestJson(`/api/requests/${id}`);
}

export type DecisionInput = { decision: Decision; reasonCode?: string; message?: string; evidenceIds?: string[] };

export async function postDecision(id: string, input: DecisionInput): Promise<{ card: RequestCard }> {
  return requestJson(`/api/requests/${id}/decision`, { method: "POST", json: input });
}

export function getAlreadyDecided(error: unknown): AlreadyDecidedError["error"] | null {
  if (error instanceof ApiError && error.code === "already_decided") return error.detail as AlreadyDecidedError["error"];
  return null;
}

export async function postUndo(id: string): Promise<{ card: RequestCard }> {
  return requestJson(`/api/requests/${id}/undo`, { method: "POST" });
}

/** The reasons a connected shop's platform offers for this card (cached a day by the server). */
export async function fetchRejectReasons(id: string): Promise<RejectReasonsBody> {
  return requestJson<RejectReasonsBody>(`/api/requests/${id}/reject-reasons`);
}
