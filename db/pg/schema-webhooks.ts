import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, instant } from "@/db/pg/columns";
import { requests, shops } from "@/db/pg/schema";
import { platforms } from "@/lib/domain";
import { outboxStatuses } from "@/lib/webhook/settings-types";

// The PostgreSQL twin of db/schema-webhooks.ts (docs/postgres.md).

export const shopWebhookSecrets = pgTable(
  "shop_webhook_secrets",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
    rotatedOutAt: instant("rotated_out_at"),
  },
  (table) => [index("shop_webhook_secrets_shop_idx").on(table.shopId, table.rotatedOutAt)],
);

export const shopPlatformEndpoints = pgTable("shop_platform_endpoints", {
  shopId: text("shop_id")
    .primaryKey()
    .references(() => shops.id),
  url: text("url").notNull(),
  updatedAt: instant("updated_at").notNull(),
});

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    platform: text("platform", { enum: platforms }).notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    receivedAt: instant("received_at").notNull(),
    platformRequestId: text("platform_request_id"),
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

export const outbox = pgTable(
  "outbox",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    requestId: text("request_id")
      .notNull()
      .references(() => requests.id),
    idempotencyKey: text("idempotency_key").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
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
