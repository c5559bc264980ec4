import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { platforms, priorRefundStates, requestKinds, requestStatuses, roles } from "@/lib/domain";
import type { AuditAction } from "@/lib/audit-actions";

// All instants are UTC epoch milliseconds (timestamp_ms); money is integer fen (docs/domain/README.md#conventions).
const instant = (name: string) => integer(name, { mode: "timestamp_ms" });
const nowMs = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;
const createdAt = () => instant("created_at").notNull().default(nowMs);
/**
 * better-auth's updatedAt (user, session, account, verification): its own column, set by the code on every insert and
 * update (SQLite cannot add a column with a computed default to a table that has rows: migration 0019).
 */
const updatedAt = () =>
  instant("updated_at")
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdate(() => new Date());

export const merchants = sqliteTable("merchants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const shops = sqliteTable(
  "shops",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    platform: text("platform", { enum: platforms }).notNull(),
    name: text("name").notNull(),
    /** Where parcels leave from: the buyer's return-freight zone is measured from it (docs/return-freight.md). */
    shipFromProvince: text("ship_from_province"),
    /** The owner lets agents open the after-sales entry from the Orders page (docs/domain/after-sales-entry.md); owners always may. */
    agentsMayOpenEntry: integer("agents_may_open_entry", { mode: "boolean" }).notNull().default(false),
    /** New cards go to online agents in turn, never over the cap of open claims each (docs/domain/queue.md). */
    autoAssign: integer("auto_assign", { mode: "boolean" }).notNull().default(false),
    assignCap: integer("assign_cap").notNull().default(5),
    /** When auto-assignment was last turned on: the sweep hands out only cards that arrived since (docs/loops.md). */
    autoAssignSince: instant("auto_assign_since"),
    createdAt: createdAt(),
  },
  (table) => [index("shops_merchant_idx").on(table.merchantId)],
);

// better-auth core tables (user, session, account, verification), with our tenancy fields on user.
export const users = sqliteTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    image: text("image"),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    role: text("role", { enum: roles }).notNull().default("agent"),
    /** true: every shop of the merchant, now and later; false: only the rows in shop_access. */
    allShops: integer("all_shops", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("user_merchant_idx").on(table.merchantId)],
);

export const sessions = sqliteTable(
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

export const accounts = sqliteTable(
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

export const verifications = sqliteTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: instant("expires_at").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Failed sign-ins per email, to slow down guessing without saying which part was wrong. */
export const loginThrottles = sqliteTable("login_throttle", {
  email: text("email").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: instant("last_failure_at").notNull(),
  lockedUntil: instant("locked_until"),
});

/**
 * Sign-in attempts per client address in its current window (lib/sign-in-limit.ts): in the database, so the limit
 * holds across every instance on it (docs/security.md "Sign-in limits and client address").
 */
export const signInAddressWindows = sqliteTable(
  "sign_in_address_window",
  {
    addressKey: text("address_key").primaryKey(),
    attempts: integer("attempts").notNull().default(0),
    startedAt: instant("started_at").notNull(),
  },
  (table) => [index("sign_in_address_window_started_idx").on(table.startedAt)],
);

export const shopAccess = sqliteTable(
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

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    platform: text("platform", { enum: platforms }).notNull(),
    /** Platform ids are 18–19 digit numbers: text, never a JS number. */
    platformOrderId: text("platform_order_id").notNull(),
    category: text("category").notNull(),
    title: text("title").notNull(),
    amountFen: integer("amount_fen").notNull(),
    buyerId: text("buyer_id").notNull(),
    buyerNick: text("buyer_nick").notNull(),
    /** Receiver province, for return-freight zones. */
    province: text("province"),
    /** 交易成功: when the after-sales period starts. */
    completedAt: instant("completed_at"),
    /** When the seller shipped (null: not shipped); 运费险/退货宝 premiums are charged per shipped order (docs/return-freight.md). */
    shippedAt: instant("shipped_at"),
    /** When the buyer received the goods (null: not received or unknown). */
    receivedAt: instant("received_at"),
    supportedKinds: text("supported_kinds", { mode: "json" }).$type<string[]>().notNull(),
    priorRefund: text("prior_refund", { enum: priorRefundStates }).notNull().default("none"),
    /** National warranty (三包) and the seller's own promise on the product, in days: 售后保 extends the period (docs/domain/after-sales-entry.md). */
    warrantyDays: integer("warranty_days"),
    sellerPromiseDays: integer("seller_promise_days"),
    /** When the seller last opened the after-sales entry; open for 30 days from then, derived from time (docs/domain/after-sales-entry.md). */
    entryOpenedAt: instant("entry_opened_at"),
    entryTimesOpened: integer("entry_times_opened").notNull().default(0),
    /** Facts the platform could not tell us (lib/platforms/order-facts.ts): the rules never claim what these would decide. */
    unknownFacts: text("unknown_facts", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** The platform's sub-order (Taobao oid, Douyin sku_order_id) the request is about, when it names one. */
    subOrderId: text("sub_order_id"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("orders_shop_platform_order_uq").on(table.shopId, table.platformOrderId),
    index("orders_shop_shipped_idx").on(table.shopId, table.shippedAt),
    // Automatic rules count a buyer's recent requests when one arrives (docs/domain/automatic-rules.md)
    index("orders_shop_buyer_idx").on(table.shopId, table.buyerId),
    // The rules backtest looks up what it reads of each order from this index alone, never the wide row (docs/domain/automatic-rules.md)
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

export const requests = sqliteTable(
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
    /** Evidence file ids (evidence_files.id) the buyer attached. */
    evidence: text("evidence", { mode: "json" }).$type<string[]>().notNull(),
    amountFen: integer("amount_fen").notNull(),
    receivedAt: instant("received_at").notNull(),
    respondBy: instant("respond_by").notNull(),
    /** The moment the platform acts by itself; the platform's own field wins over the profile. */
    platformDeadline: instant("platform_deadline"),
    decision: text("decision", { enum: ["approve", "reject"] }),
    decidedAt: instant("decided_at"),
    decidedBy: text("decided_by").references(() => users.id),
    /** The decision can be undone by its author until then; only then is it sent to the platform. */
    finalAt: instant("final_at"),
    /** 认领: the agent working this card now (by hand or by auto-assignment); lapses when they go offline. */
    claimedBy: text("claimed_by").references(() => users.id),
    claimedAt: instant("claimed_at"),
    rejectReasonCode: text("reject_reason_code"),
    /** A connected shop's rejection: the platform's own words for the reason (its code alone means nothing to a reader). */
    rejectReasonText: text("reject_reason_text"),
    rejectMessage: text("reject_message"),
    /** The platform refused our last answer (not a network error): its own words, and when. The card is pending again. */
    platformRefusal: text("platform_refusal"),
    platformRefusedAt: instant("platform_refused_at"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("requests_shop_platform_request_uq").on(table.shopId, table.platform, table.platformRequestId),
    // The inbox: pending cards of some shops, deadline first.
    index("requests_inbox_idx").on(table.status, table.respondBy, table.id),
    // The pending queue's sort: whichever deadline comes first (lib/urgency.ts, mirrored in db/queries/requests.ts).
    index("requests_due_idx").on(table.status, sql`min(${table.respondBy}, coalesce(${table.platformDeadline}, ${table.respondBy}))`, table.id),
    index("requests_shop_status_idx").on(table.shopId, table.status, table.respondBy),
    index("requests_decided_idx").on(table.shopId, table.decidedAt),
    // Rebuilding the metrics rollups of some hours reads the cards received in them (docs/metrics.md)
    index("requests_shop_received_idx").on(table.shopId, table.receivedAt),
    index("requests_order_idx").on(table.orderId),
    // The rules backtest scans a shop's history from this index alone, in order-id order so its order lookups
    // walk orders_rule_facts_idx forward instead of jumping at random (docs/domain/automatic-rules.md#the-backtest)
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

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    requestId: text("request_id").references(() => requests.id),
    orderId: text("order_id").references(() => orders.id),
    /** null when the platform or the system acted. */
    actorId: text("actor_id").references(() => users.id),
    // Typed only (no SQL change): a new action must be added to lib/audit-actions.ts, which the live view listens by
    action: text("action").$type<AuditAction>().notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    at: instant("at").notNull(),
  },
  (table) => [
    index("audit_request_idx").on(table.requestId, table.at),
    index("audit_order_idx").on(table.orderId),
    // The assignment sweep reads the cards that arrived in its recent window (db/workflows/assignment.ts)
    index("audit_received_idx")
      .on(table.at)
      .where(sql`${table.action} = 'received'`),
  ],
);

export const evidenceFiles = sqliteTable(
  "evidence_files",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    name: text("name").notNull(),
    mimeType: text("mime_type").notNull(),
    bytes: blob("bytes", { mode: "buffer" }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("evidence_shop_idx").on(table.shopId)],
);
