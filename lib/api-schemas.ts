import { z } from "zod";
import { decisions, platforms, requestKinds } from "@/lib/domain";
import { idSchema } from "@/lib/ids";

// Inputs at the API boundary. Each schema pairs with its inferred type.

export const inboxStatusFilters = ["pending", "due_soon", "overdue", "approved", "rejected", "all"] as const;
export type InboxStatusFilter = (typeof inboxStatusFilters)[number];

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const listRequestsQuery = z.object({
  status: z.preprocess(emptyToUndefined, z.enum(inboxStatusFilters).default("pending")),
  platform: z.preprocess(emptyToUndefined, z.enum(platforms).optional()),
  kind: z.preprocess(emptyToUndefined, z.enum(requestKinds).optional()),
  shop: z.preprocess(emptyToUndefined, idSchema("shop").optional()),
  /** Finds cards by order title, platform order id or buyer nickname. */
  q: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(64).optional()),
  cursor: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  limit: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});
export type ListRequestsQuery = z.infer<typeof listRequestsQuery>;

/** The list's filters without its tab and paging: what the tab counts follow (GET /api/requests/counts). */
export const requestFiltersQuery = listRequestsQuery.pick({ platform: true, kind: true, shop: true, q: true });

export const requestIdParam = idSchema("req");

export const decisionBody = z
  .object({
    decision: z.enum(decisions),
    reasonCode: z.string().trim().min(1).max(64).optional(),
    message: z.string().trim().max(2000).optional(),
    /** Proof uploaded with the rejection (POST /api/requests/:id/rejection-evidence). */
    evidenceIds: z.array(idSchema("evd")).max(20).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    // Length bounds and the reason list are the platform's: checked against its policy profile (lib/decision.ts).
    if (body.decision !== "reject") return;
    if (!body.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "A rejection needs a reason" });
    if (!body.message) ctx.addIssue({ code: "custom", path: ["message"], message: "A rejection needs a message" });
  });
export type DecisionBody = z.infer<typeof decisionBody>;

/** Bulk approve: each card is decided on its own; rejections always need a person and a reason. */
export const bulkDecisionBody = z
  .object({
    decision: z.literal("approve"),
    ids: z.array(idSchema("req")).min(1).max(200),
  })
  .strict();
