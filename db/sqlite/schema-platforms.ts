import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { shops } from "@/db/sqlite/schema";
import type { NativeRefund, PlatformAppSettings, PlatformRejectReason } from "@/lib/platforms/types";

// Real platform connections (docs/platforms/README.md): a shop's platform app, the platform messages already taken in
// (dedupe on the platform's message id), and each refund's native state for building the answer call.

const instant = (name: string) => integer(name, { mode: "timestamp_ms" });
const protocols = ["douyin_push", "taobao_tmc", "wechat_ec"] as const;

/** One platform app per shop; with none, the shop speaks our own signed contract (docs/webhooks.md). */
export const platformApps = sqliteTable(
  "platform_apps",
  {
    shopId: text("shop_id")
      .primaryKey()
      .references(() => shops.id),
    protocol: text("protocol", { enum: protocols }).notNull(),
    appKey: text("app_key").notNull(),
    appSecret: text("app_secret").notNull(),
    /** Douyin shop_id, Taobao seller nick, WeChat 小店 appid: how a message names the shop. */
    platformShopId: text("platform_shop_id").notNull(),
    /** The platform's open API (or the simulator): detail fetches and answers go here. */
    apiBaseUrl: text("api_base_url").notNull(),
    accessToken: text("access_token"),
    /** Token upkeep (app/_server/platforms/token-upkeep.ts): refreshed before accessTokenExpiresAt. */
    refreshToken: text("refresh_token"),
    accessTokenExpiresAt: instant("access_token_expires_at"),
    refreshTokenExpiresAt: instant("refresh_token_expires_at"),
    tokenRefreshedAt: instant("token_refreshed_at"),
    /** Connection health for the owner's 平台连接: last message in, last answer out, last error (the platform's words). */
    lastMessageAt: instant("last_message_at"),
    lastAnswerAt: instant("last_answer_at"),
    lastError: text("last_error"),
    lastErrorAt: instant("last_error_at"),
    /** Taobao: run the TMC consumer for this shop (off unless set). */
    consumerEnabled: integer("consumer_enabled", { mode: "boolean" }).notNull().default(false),
    settings: text("settings", { mode: "json" }).$type<PlatformAppSettings>().notNull().default({}),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [uniqueIndex("platform_apps_platform_shop_uq").on(table.protocol, table.platformShopId)],
);

/** Platform messages already stored; a redelivery with the same message id is acknowledged without work. */
export const platformMessages = sqliteTable(
  "platform_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    messageId: text("message_id").notNull(),
    /** tag / topic / event name. */
    topic: text("topic").notNull(),
    platformRequestId: text("platform_request_id"),
    /** Our event ids the message became (empty when it was native state only). */
    eventIds: text("event_ids", { mode: "json" }).$type<string[]>().notNull(),
    note: text("note"),
    rawBody: text("raw_body").notNull(),
    receivedAt: instant("received_at").notNull(),
  },
  (table) => [
    uniqueIndex("platform_messages_shop_message_uq").on(table.shopId, table.messageId),
    index("platform_messages_request_idx").on(table.shopId, table.platformRequestId),
  ],
);

/** The latest native state of each refund (by version), which the answer call is built from. */
export const platformRefunds = sqliteTable(
  "platform_refunds",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    platformRequestId: text("platform_request_id").notNull(),
    native: text("native", { mode: "json" }).$type<NativeRefund>().notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.platformRequestId] })],
);

/**
 * The platform's own reject reasons for one shop and kind (taobao.refund.refusereason.get, Douyin
 * /afterSale/rejectReasonCodeList, WeChat rejectreason/get), cached and refreshed daily.
 */
export const platformRejectReasons = sqliteTable(
  "platform_reject_reasons",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    /**
     * The list's key (lib/platforms/reject-reasons.ts getRejectReasonListKey): our request kind, and on Taobao/Tmall
     * also the refund's type, phase and state, which its list depends on.
     */
    kind: text("kind").notNull(),
    reasons: text("reasons", { mode: "json" }).$type<PlatformRejectReason[]>().notNull(),
    fetchedAt: instant("fetched_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.kind] })],
);
