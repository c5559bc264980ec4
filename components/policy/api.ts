import { requestJson } from "@/components/request-json";
import type { CardCounterOffer, OrderRow } from "@/lib/api-types";
import type { CounterOffer } from "@/lib/policy/seller-negotiation";

export type UploadedEvidence = { id: string; name: string; type: string; sizeBytes: number; url: string };

export async function uploadRejectionEvidence(requestId: string, file: File): Promise<UploadedEvidence> {
  const form = new FormData();
  form.set("file", file);
  const body = await requestJson<{ evidence: UploadedEvidence }>(`/api/requests/${requestId}/rejection-evidence`, { method: "POST", form });
  return body.evidence;
}

export async function postCounterOffer(requestId: string, offer: CounterOffer): Promise<CardCounterOffer> {
  const body = await requestJson<{ counterOffer: CardCounterOffer }>(`/api/requests/${requestId}/counter-offer`, { method: "POST", json: offer });
  return body.counterOffer;
}

export async function postOpenEntry(orderId: string): Promise<OrderRow> {
  const body = await requestJson<{ order: OrderRow }>(`/api/orders/${orderId}/entry`, { method: "POST" });
  return body.order;
}

export async function putEntrySetting(shopId: string, agentsMayOpenEntry: boolean): Promise<void> {
  await requestJson("/api/orders/entry-settings", { method: "PUT", json: { shopId, agentsMayOpenEntry } });
}
