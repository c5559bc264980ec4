import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { requests, shops, users } from "@/db/sqlite/schema";

// Platform rules wired into the desk (docs/domain/negotiation.md): Douyin's platform proposals and the seller's counter-offers.

const instant = (name: string) => integer(name, { mode: "timestamp_ms" });

export const proposalOutcomes = ["accepted", "rejected", "lapsed"] as const;

/**
 * Douyin 主动介入协商 (docs/domain/negotiation.md), one row per platform proposal. An inapplicable one is kept with its
 * invalidReason so the record is complete, and locks nothing.
 */
export const platformProposals = sqliteTable(
  "platform_proposals",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    requestId: text("request_id")
      .notNull()
      .references(() => requests.id),
    platformProposalId: text("platform_proposal_id").notNull(),
    /** When the platform made it; valid 12 h from then unless the platform sent its own expiry. */
    proposedAt: instant("proposed_at").notNull(),
    expiresAt: instant("expires_at"),
    /** Why it cannot apply (getProposalApplicability); null when it is valid. */
    invalidReason: text("invalid_reason"),
    outcome: text("outcome", { enum: proposalOutcomes }),
    resolvedAt: instant("resolved_at"),
    recordedAt: instant("recorded_at").notNull(),
  },
  (table) => [
    uniqueIndex("platform_proposals_shop_platform_uq").on(table.shopId, table.platformProposalId),
    index("platform_proposals_request_idx").on(table.requestId, table.proposedAt),
  ],
);

export const counterOfferKinds = ["partial_refund", "return_refund"] as const;

/** The seller's counter-offer to the buyer (Taobao 2025 seller–buyer negotiation, docs/domain/negotiation.md). */
export const counterOffers = sqliteTable(
  "counter_offers",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    requestId: text("request_id")
      .notNull()
      .references(() => requests.id),
    kind: text("kind", { enum: counterOfferKinds }).notNull(),
    /** Partial refund in fen; null when the offer is to change to return & refund. */
    amountFen: integer("amount_fen"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: instant("created_at").notNull(),
  },
  (table) => [index("counter_offers_request_idx").on(table.requestId, table.createdAt)],
);
