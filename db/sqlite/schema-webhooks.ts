import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { requests, shops } from "@/db/sqlite/schema";
import { platforms } from "@/lib/domain";
import { outboxStatuses } from "@/lib/webhook/settings-types";

// The platform connection (docs/webhooks.md): signing secrets, the append-only inbound event log, the
// decision outbox and each shop's platform endpoint. Instants are UTC epoch ms, as in schema.ts.

const instant = (name: string) => integer(name, { mode: "timestamp_ms" });
const createdAt = () =>
  instant("created_at")
    .notNull()
    .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`);

/** One current secret per shop (rotated_out_at null); a rotated-out one still verifies for 24 h. */
export const shopWebhookSecrets = sqliteTable(
  "shop_webhook_secrets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
    rotatedOutAt: instant("rotated_out_at"),
  },
  (table) => [index("shop_webhook_secrets_shop_idx").on(table.shopId, table.rotatedOutAt)],
);

/** Where the sender posts this shop's decisions (the platform's, or the simulator's, URL). */
export const shopPlatformEndpoints = sqliteTable("shop_platform_endpoints", {
  shopId: text("shop_id")
    .primaryKey()
    .references(() => shops.id),
  url: text("url").notNull(),
  updatedAt: instant("updated_at").notNull(),
});

/** Every accepted event, verbatim, never updated or deleted: the log the request state is replayed from. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    platform: text("platform", { enum: platforms }).notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    receivedAt: instant("received_at").notNull(),
    /** The platform's request id (null for order.upserted). */
    platformRequestId: text("platform_request_id"),
    /** The platform's order id, for events that carry an order snapshot. */
    platformOrderId: text("platform_order_id"),
    rawBody: text("raw_body").notNull(),
  },
  (table) => [
    uniqueIndex("webhook_events_shop_event_uq").on(table.shopId, table.eventId),
    index("webhook_events_request_idx").on(table.shopId, table.platformRequestId),
    index("webhook_events_order_idx").on(table.shopId, table.platformOrderId),
    index("webhook_events_received_idx").on(table.shopId, table.receivedAt),
  ],
);

/** Decisions waiting to reach the platform; written in the decision's own transaction. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    requestId: text("request_id")
      .notNull()
      .references(() => requests.id),
    /** One per decision; the platform dedupes on it, so a resend after a crash is harmless. */
    idempotencyKey: text("idempotency_key").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    /** Failed tries so far. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastError: text("last_error"),
    lastAttemptAt: instant("last_attempt_at"),
    deliveredAt: instant("delivered_at"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("outbox_idempotency_key_uq").on(table.idempotencyKey),
    index("outbox_due_idx").on(table.status, table.nextAttemptAt),
    index("outbox_shop_idx").on(table.shopId, table.createdAt),
    // Every decision counts the answers already sent for its card, and an undo or a refusal finds the card's row
    index("outbox_request_idx").on(table.requestId),
  ],
);
