// The platform events the ingest and live measures send: request.created, unique to this run, signed as the platform signs.
import { baseUrl } from "@/bench/config";
import { getBenchWebhookSecret, type BenchShop } from "@/db/bench-seed";
import type { WebhookEvent } from "@/lib/webhook/events";
import { getSignedHeaders } from "@/lib/webhook/signature";

export type CreatedEvent = Extract<WebhookEvent, { type: "request.created" }>;

// Platform ids unique to this run, so events never collide with a previous run on a reused database
const runTag = Date.now().toString(36);
let eventCounter = 0;

export function buildCreatedEvent(label: string): CreatedEvent {
  eventCounter++;
  const requestId = `bench-${runTag}-${label}-${eventCounter}`;
  const now = Date.now();
  return {
    id: `evt_${runTag}_${label}_${eventCounter}`,
    type: "request.created",
    occurredAt: new Date(now).toISOString(),
    data: {
      requestId,
      kind: "refund_only",
      order: {
        orderId: `o-${requestId}`,
        category: "apparel",
        title: `压测商品 ${eventCounter}`,
        amountFen: 12_900,
        completedAt: new Date(now - 2 * 24 * 60 * 60_000).toISOString(),
        supportedKinds: ["refund_only", "return_refund", "exchange"],
        priorRefund: "none",
      },
      buyer: { id: `buyer${eventCounter % 5000}`, nick: "压测买家" },
      reasonCode: "quality_issue",
      evidence: [],
    },
  };
}

/** Signed as the platform signs it, at the moment it is sent. */
export function postEvent(shop: BenchShop, event: CreatedEvent, url = baseUrl): Promise<Response> {
  const body = JSON.stringify(event);
  return fetch(`${url}/api/platforms/${shop.platform}/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...getSignedHeaders(shop.id, getBenchWebhookSecret(shop.platform), new Date(), body) },
    body,
  });
}
