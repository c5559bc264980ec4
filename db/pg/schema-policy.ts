import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant } from "@/db/pg/columns";
import { requests, shops, users } from "@/db/pg/schema";
import { counterOfferKinds, proposalOutcomes } from "@/db/sqlite/schema-policy";

// The PostgreSQL twin of db/schema-policy.ts (docs/postgres.md); the value lists stay in that file.

export const platformProposals = pgTable(
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
    proposedAt: instant("proposed_at").notNull(),
    expiresAt: instant("expires_at"),
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

export const counterOffers = pgTable(
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
    amountFen: integer("amount_fen"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: instant("created_at").notNull(),
  },
  (table) => [index("counter_offers_request_idx").on(table.requestId, table.createdAt)],
);
