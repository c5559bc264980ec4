import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { bytea, createdAt, instant, updatedAt } from "@/db/pg/columns";
import { platforms, priorRefundStates, requestKinds, requestStatuses, roles } from "@/lib/domain";
import type { AuditAction } from "@/lib/audit-actions";

// The PostgreSQL twin of db/schema.ts: same exported names, same SQL names, keys and indexes, with the types of
// docs/postgres.md#type-mapping. db/pg/schema-parity.test.ts fails when the two drift; the comments on the meaning
// of each column live in db/schema.ts.

export const merchants = pgTable("merchants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const shops = pgTable(
  "shops",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    platform: text("platform", { enum: platforms }).notNull(),
    name: text("name").notNull(),
    shipFromProvince: text("ship_from_province"),
    agentsMayOpenEntry: boolean("agents_may_open_entry").notNull().default(false),
    autoAssign: boolean("auto_assign").notNull().default(false),
    assignCap: integer("assign_cap").notNull().default(5),
    autoAssignSince: instant("auto_assign_since"),
    createdAt: createdAt(),
  },
  (table) => [index("shops_merchant_idx").on(table.merchantId)],
);

export const users = pgTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    role: text("role", { enum: roles }).notNull().default("agent"),
    allShops: boolean("all_shops").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("user_merchant_idx").on(table.merchantId)],
);

export const sessions = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: instant("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (table) => [index("session_user_idx").on(table.userId)],
);

export const accounts = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: instant("access_token_expires_at"),
    refreshTokenExpiresAt: instant("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("account_user_idx").on(table.userId)],
);

export const verifications = pgTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: instant("expires_at").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const loginThrottles = pgTable("login_throttle", {
  email: text("email").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: instant("last_failure_at").notNull(),
  lockedUntil: instant("locked_until"),
});

/**
 * Sign-in attempts per client address in its current window (lib/sign-in-limit.ts): in the database, so the limit
 * holds across every instance on it (docs/security.md "Sign-in limits and client address").
 */
export const signInAddressWindows = pgTable(
  "sign_in_address_window",
  {
    addressKey: text("address_key").primaryKey(),
    attempts: integer("attempts").notNull().default(0),
    startedAt: instant("started_at").notNull(),
  },
  (table) => [index("sign_in_address_window_started_idx").on(table.startedAt)],
);

export const shopAccess = pgTable(
  "shop_access",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
  },
  (table) => [primaryKey({ columns: [table.userId, table.shopId] })],
);

export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    platform: text("platform", { enum: platforms }).notNull(),
    platformOrderId: text("platform_order_id").notNull(),
    category: text("category").notNull(),
    title: text("title").notNull(),
    amountFen: integer("amount_fen").notNull(),
    buyerId: text("buyer_id").notNull(),
    buyerNick: text("buyer_nick").notNull(),
    province: text("province"),
    completedAt: instant("completed_at"),
    shippedAt: instant("shipped_at"),
    receivedAt: instant("received_at"),
    supportedKinds: jsonb("supported_kinds").$type<string[]>().notNull(),
    priorRefund: text("prior_refund", { enum: priorRefundStates }).notNull().default("none"),
    warrantyDays: integer("warranty_days"),
    sellerPromiseDays: integer("seller_promise_days"),
    entryOpenedAt: instant("entry_opened_at"),
    entryTimesOpened: integer("entry_times_opened").notNull().default(0),
    unknownFacts: jsonb("unknown_facts").$type<string[]>().notNull().default([]),
    subOrderId: text("sub_order_id"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("orders_shop_platform_order_uq").on(table.shopId, table.platformOrderId),
    index("orders_shop_shipped_idx").on(table.shopId, table.shippedAt),
    index("orders_shop_buyer_idx").on(table.shopId, table.buyerId),
    index("orders_rule_facts_idx").on(
      table.id,
      table.category,
      table.amountFen,
      table.completedAt,
      table.priorRefund,
      table.entryOpenedAt,
      table.entryTimesOpened,
      table.buyerId,
    ),
  ],
);

export const requests = pgTable(
  "requests",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    platform: text("platform", { enum: platforms }).notNull(),
    platformRequestId: text("platform_request_id").notNull(),
    kind: text("kind", { enum: requestKinds }).notNull(),
    status: text("status", { enum: requestStatuses }).notNull().default("pending"),
    reasonCode: text("reason_code").notNull(),
    reasonText: text("reason_text"),
    claim: text("claim"),
    evidence: jsonb("evidence").$type<string[]>().notNull(),
    amountFen: integer("amount_fen").notNull(),
    receivedAt: instant("received_at").notNull(),
    respondBy: instant("respond_by").notNull(),
    platformDeadline: instant("platform_deadline"),
    decision: text("decision", { enum: ["approve", "reject"] }),
    decidedAt: instant("decided_at"),
    decidedBy: text("decided_by").references(() => users.id),
    finalAt: instant("final_at"),
    claimedBy: text("claimed_by").references(() => users.id),
    claimedAt: instant("claimed_at"),
    rejectReasonCode: text("reject_reason_code"),
    rejectReasonText: text("reject_reason_text"),
    rejectMessage: text("reject_message"),
    platformRefusal: text("platform_refusal"),
    platformRefusedAt: instant("platform_refused_at"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("requests_shop_platform_request_uq").on(table.shopId, table.platform, table.platformRequestId),
    index("requests_inbox_idx").on(table.status, table.respondBy, table.id),
    // SQLite's two-argument min() is PostgreSQL's least(): the PostgreSQL queries must sort by the same expression
    index("requests_due_idx").on(table.status, sql`least(${table.respondBy}, coalesce(${table.platformDeadline}, ${table.respondBy}))`, table.id),
    index("requests_shop_status_idx").on(table.shopId, table.status, table.respondBy),
    index("requests_decided_idx").on(table.shopId, table.decidedAt),
    index("requests_shop_received_idx").on(table.shopId, table.receivedAt),
    index("requests_order_idx").on(table.orderId),
    index("requests_rule_scan_idx").on(
      table.shopId,
      table.orderId,
      table.receivedAt,
      table.kind,
      table.status,
      table.amountFen,
      table.decidedAt,
      table.reasonCode,
      table.evidence,
    ),
    index("requests_claimed_idx").on(table.claimedBy, table.status),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    requestId: text("request_id").references(() => requests.id),
    orderId: text("order_id").references(() => orders.id),
    actorId: text("actor_id").references(() => users.id),
    action: text("action").$type<AuditAction>().notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    at: instant("at").notNull(),
  },
  (table) => [
    index("audit_request_idx").on(table.requestId, table.at),
    index("audit_order_idx").on(table.orderId),
    index("audit_received_idx")
      .on(table.at)
      .where(sql`${table.action} = 'received'`),
  ],
);

export const evidenceFiles = pgTable(
  "evidence_files",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    name: text("name").notNull(),
    mimeType: text("mime_type").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("evidence_shop_idx").on(table.shopId)],
);
