import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant } from "@/db/pg/columns";
import { shops } from "@/db/pg/schema";
import type { NativeRefund, PlatformAppSettings, PlatformRejectReason } from "@/lib/platforms/types";

// The PostgreSQL twin of db/schema-platforms.ts (docs/postgres.md).

const protocols = ["douyin_push", "taobao_tmc", "wechat_ec"] as const;

export const platformApps = pgTable(
  "platform_apps",
  {
    shopId: text("shop_id")
      .primaryKey()
      .references(() => shops.id),
    protocol: text("protocol", { enum: protocols }).notNull(),
    appKey: text("app_key").notNull(),
    appSecret: text("app_secret").notNull(),
    platformShopId: text("platform_shop_id").notNull(),
    apiBaseUrl: text("api_base_url").notNull(),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    accessTokenExpiresAt: instant("access_token_expires_at"),
    refreshTokenExpiresAt: instant("refresh_token_expires_at"),
    tokenRefreshedAt: instant("token_refreshed_at"),
    lastMessageAt: instant("last_message_at"),
    lastAnswerAt: instant("last_answer_at"),
    lastError: text("last_error"),
    lastErrorAt: instant("last_error_at"),
    consumerEnabled: boolean("consumer_enabled").notNull().default(false),
    settings: jsonb("settings").$type<PlatformAppSettings>().notNull().default({}),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [uniqueIndex("platform_apps_platform_shop_uq").on(table.protocol, table.platformShopId)],
);

export const platformMessages = pgTable(
  "platform_messages",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    messageId: text("message_id").notNull(),
    topic: text("topic").notNull(),
    platformRequestId: text("platform_request_id"),
    eventIds: jsonb("event_ids").$type<string[]>().notNull(),
    note: text("note"),
    rawBody: text("raw_body").notNull(),
    receivedAt: instant("received_at").notNull(),
  },
  (table) => [
    uniqueIndex("platform_messages_shop_message_uq").on(table.shopId, table.messageId),
    index("platform_messages_request_idx").on(table.shopId, table.platformRequestId),
  ],
);

export const platformRefunds = pgTable(
  "platform_refunds",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    platformRequestId: text("platform_request_id").notNull(),
    native: jsonb("native").$type<NativeRefund>().notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.platformRequestId] })],
);

export const platformRejectReasons = pgTable(
  "platform_reject_reasons",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    kind: text("kind").notNull(),
    reasons: jsonb("reasons").$type<PlatformRejectReason[]>().notNull(),
    fetchedAt: instant("fetched_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.kind] })],
);
