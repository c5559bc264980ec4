// The ingest measures: events through the endpoint over HTTP, through its handler in-process, and the raw insert floor.
import { handleWebhookPost } from "@/app/api/platforms/[platform]/events/handle-event";
import { buildCreatedEvent, postEvent, type CreatedEvent } from "@/bench/events";
import { baseUrl, ingestConcurrency, ingestEvents, ingestWarmUpEvents } from "@/bench/config";
import type { Db } from "@/db/client";
import { getBenchWebhookSecret, type BenchShop } from "@/db/bench-seed";
import { newId } from "@/lib/ids";
import { createEmptyRollup } from "@/lib/metrics/response-metrics";
import { getShanghaiMonthStart, getShanghaiTimeOfDayMs, hourMs } from "@/lib/time";
import { getSignedHeaders } from "@/lib/webhook/signature";

/** request.created events through the real endpoint (signature, validation, reducer, store), 20 in flight; with several instances, spread round-robin. */
export async function measureWebhookIngest(benchShops: BenchShop[], urls: string[] = [baseUrl]) {
  const send = async (events: { shop: BenchShop; event: CreatedEvent }[], statuses: Map<number, number>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: ingestConcurrency }, async () => {
        while (next < events.length) {
          const index = next++;
          const { shop, event } = events[index];
          const response = await postEvent(shop, event, urls[index % urls.length]);
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
  };
  const batch = (count: number, label: string) => Array.from({ length: count }, (_, index) => ({ shop: benchShops[index % benchShops.length], event: buildCreatedEvent(label) }));
  // Steady state, not start-up: the first few hundred events still pay for the route's first compiles and cold pages
  await send(batch(ingestWarmUpEvents, "warm"), new Map());
  const events = batch(ingestEvents, "ingest");
  const statuses = new Map<number, number>();
  const started = performance.now();
  await send(events, statuses);
  const seconds = (performance.now() - started) / 1000;
  const ok = statuses.get(200) ?? 0;
  return { perSecond: ok / seconds, ok, count: events.length, statuses: Object.fromEntries(statuses) };
}

/** The endpoint's own handler called in the bench process on the same file: the ingest cost without HTTP and Next. */
export async function measureInProcessIngest(db: Db, benchShops: BenchShop[]) {
  const events = Array.from({ length: ingestEvents }, (_, index) => ({ shop: benchShops[index % benchShops.length], event: buildCreatedEvent("handler") }));
  let ok = 0;
  const started = performance.now();
  for (const { shop, event } of events) {
    const body = JSON.stringify(event);
    const request = new Request(`${baseUrl}/api/platforms/${shop.platform}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...getSignedHeaders(shop.id, getBenchWebhookSecret(shop.platform), new Date(), body) },
      body,
    });
    if ((await handleWebhookPost(db, request, shop.platform, new Date())).status === 200) ok++;
  }
  return { perSecond: ok / ((performance.now() - started) / 1000), ok, count: events.length };
}

/**
 * The floor for the same work: the rows one request.created leaves (event log, order, card, audit, and
 * its five metrics rollup rows), with prepared statements in one transaction per event (the endpoint's
 * unit of commit), in the same file.
 */
export function measureRawInsert(db: Db, benchShops: BenchShop[]) {
  const sqlite = db.$client;
  const insertEvent = sqlite.prepare(
    `insert into webhook_events (shop_id, platform, event_id, type, occurred_at, received_at, platform_request_id, platform_order_id, raw_body) values (?, ?, ?, 'request.created', ?, ?, ?, ?, ?)`,
  );
  const insertOrder = sqlite.prepare(
    `insert into orders (id, shop_id, platform, platform_order_id, category, title, amount_fen, buyer_id, buyer_nick, completed_at, supported_kinds, prior_refund) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRequest = sqlite.prepare(
    `insert into requests (id, shop_id, order_id, platform, platform_request_id, kind, status, reason_code, evidence, amount_fen, received_at, respond_by) values (?, ?, ?, ?, ?, ?, 'pending', ?, '[]', ?, ?, ?)`,
  );
  const insertAudit = sqlite.prepare(`insert into audit_log (shop_id, request_id, order_id, action, to_status, detail, at) values (?, ?, ?, 'received', 'pending', '{"source":"raw"}', ?)`);
  // The metrics rows the endpoint keeps in the same transaction (docs/decisions/0002-hourly-rollups.md): received +1 in the hour, the day, the month, the shop's day and the shop's hour
  const emptyHistogram = JSON.stringify(createEmptyRollup().responseHistogram);
  const counters = "received, received_in_scoring_hours, answered, answered_within_3min, answered_within_3min_in_scoring_hours, approved, rejected, rejected_without_reason_or_evidence, auto_answered, intervention, refund_fen, return_freight_fen, response_ms_total, response_histogram";
  const upsertRollup = (table: string, bucket: string) =>
    sqlite.prepare(
      `insert into ${table} (shop_id, agent_id, platform, kind, ${bucket}, ${counters}) values (?, '', ?, ?, ?, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '${emptyHistogram}')
       on conflict (shop_id, ${bucket}, agent_id, platform, kind) do update set received = received + 1, received_in_scoring_hours = received_in_scoring_hours + 1`,
    );
  const upsertHourly = upsertRollup("metric_hourly", "hour_start");
  const upsertDaily = upsertRollup("metric_daily", "day_start");
  const upsertMonthly = upsertRollup("metric_monthly", "month_start");
  const upsertShopDaily = sqlite.prepare(
    `insert into metric_shop_daily (shop_id, day_start, ${counters}) values (?, ?, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '${emptyHistogram}')
     on conflict (shop_id, day_start) do update set received = received + 1, received_in_scoring_hours = received_in_scoring_hours + 1`,
  );
  const upsertShopHourly = sqlite.prepare(
    `insert into metric_shop_hourly (shop_id, hour_start, received, answered, answered_within_3min) values (?, ?, 1, 0, 0) on conflict (shop_id, hour_start) do update set received = received + 1`,
  );
  const events = Array.from({ length: ingestEvents }, (_, index) => {
    const event = buildCreatedEvent("raw");
    return { shop: benchShops[index % benchShops.length], event, rawBody: JSON.stringify(event) };
  });
  const store = sqlite.transaction(({ shop, event, rawBody }: (typeof events)[number]) => {
    const now = Date.now();
    const { data } = event;
    const orderId = newId("ord");
    const requestId = newId("req");
    insertEvent.run(shop.id, shop.platform, event.id, Date.parse(event.occurredAt), now, data.requestId, data.order.orderId, rawBody);
    insertOrder.run(orderId, shop.id, shop.platform, data.order.orderId, data.order.category, data.order.title, data.order.amountFen, data.buyer.id, data.buyer.nick, Date.parse(data.order.completedAt ?? ""), JSON.stringify(data.order.supportedKinds), data.order.priorRefund ?? "none");
    insertRequest.run(requestId, shop.id, orderId, shop.platform, data.requestId, data.kind, data.reasonCode, data.order.amountFen, now, now + 3 * 60_000);
    insertAudit.run(shop.id, requestId, orderId, now);
    const hourStart = now - (now % hourMs);
    upsertHourly.run(shop.id, shop.platform, data.kind, hourStart);
    const dayStart = now - getShanghaiTimeOfDayMs(new Date(now));
    upsertDaily.run(shop.id, shop.platform, data.kind, dayStart);
    upsertMonthly.run(shop.id, shop.platform, data.kind, getShanghaiMonthStart(new Date(now)).getTime());
    upsertShopDaily.run(shop.id, dayStart);
    upsertShopHourly.run(shop.id, hourStart);
  });
  const started = performance.now();
  for (const event of events) store(event);
  return { perSecond: events.length / ((performance.now() - started) / 1000) };
}
