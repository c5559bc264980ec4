import { ApiError } from "@/components/inbox/api";
import type { CardCounterOffer, OrderRow } from "@/lib/api-types";
import type { CounterOffer } from "@/lib/policy/seller-negotiation";

export type UploadedEvidence = { id: string; name: string; type: string; sizeBytes: number; url: string };

async function readJson<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}

export async function uploadRejectionEvidence(requestId: string, file: File): Promise<UploadedEvidence> {
  const form = new FormData();
  form.set("file", file);
  const body = await readJson<{ evidence: UploadedEvidence }>(
    await fetch(`/api/requests/${requestId}/rejection-evidence`, { method: "POST", body: form }),
  );
  return body.evidence;
}

export async function postCounterOffer(requestId: string, offer: CounterOffer): Promise<CardCounterOffer> {
  const body = await readJson<{ counterOffer: CardCounterOffer }>(
    await fetch(`/api/requests/${requestId}/counter-offer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(offer),
    }),
  );
  return body.counterOffer;
}

export async function postOpenEntry(orderId: string): Promise<OrderRow> {
  const body = await readJson<{ order: OrderRow }>(await fetch(`/api/orders/${orderId}/entry`, { method: "POST" }));
  return body.order;
}

export async function putEntrySetting(shopId: string, agentsMayOpenEntry: boolean): Promise<void> {
  await readJson(
    await fetch("/api/orders/entry-settings", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ shopId, agentsMayOpenEntry }),
    }),
  );
}
