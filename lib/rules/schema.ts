import { z } from "zod";
import { platforms, requestKinds } from "@/lib/domain";
import { idSchema } from "@/lib/ids";
import { productCategories } from "@/lib/policy/categories";

// What an owner may write as an automatic rule (docs/domain/automatic-rules.md). Rules only ever approve: a rejection needs a
// person, because a wrong one counts as 卖家有责 (docs/domain/rejections.md).

const fen = z.number().int().min(0).max(10_000_000_000);

/** Every field is optional; a rule matches a request when every field it sets holds. */
export const ruleConditions = z
  .object({
    platforms: z.array(z.enum(platforms)).min(1).max(platforms.length).optional(),
    kinds: z.array(z.enum(requestKinds)).min(1).max(requestKinds.length).optional(),
    categories: z.array(z.enum(productCategories)).min(1).max(productCategories.length).optional(),
    maxOrderAmountFen: fen.optional(),
    maxRequestedAmountFen: fen.optional(),
    /** Whole days from 交易成功 to the request, inclusive bounds; a request on a deal not completed never matches. */
    minDaysSinceCompleted: z.number().int().min(0).max(3650).optional(),
    maxDaysSinceCompleted: z.number().int().min(0).max(3650).optional(),
    reasonCodes: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
    hasEvidence: z.boolean().optional(),
    /** The buyer's other requests in this shop in the 90 days before this one. */
    maxBuyerRequests90d: z.number().int().min(0).max(10_000).optional(),
    /** 7天无理由: true only those (reasonCode "no_reason_7d"), false all but those. */
    isNoReason7d: z.boolean().optional(),
  })
  .strict()
  .refine(
    (conditions) =>
      conditions.minDaysSinceCompleted === undefined ||
      conditions.maxDaysSinceCompleted === undefined ||
      conditions.minDaysSinceCompleted <= conditions.maxDaysSinceCompleted,
    { message: "minDaysSinceCompleted must not exceed maxDaysSinceCompleted", path: ["minDaysSinceCompleted"] },
  );
export type RuleConditions = z.infer<typeof ruleConditions>;

/** "live" answers; "dry_run" (只记录) only tags the card with what it would have done. */
export const ruleModes = ["live", "dry_run"] as const;

export const autoRule = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, "Rule ids are 1–40 of a–z, 0–9, _ and -"),
    name: z.string().trim().min(1).max(40),
    enabled: z.boolean(),
    mode: z.enum(ruleModes),
    conditions: ruleConditions,
    /** The only action: approve (for a re-open request, that opens the entry). */
    action: z.literal("approve"),
  })
  .strict();
export type AutoRule = z.infer<typeof autoRule>;

export const ruleSetBody = z
  .object({
    /** 自动开启售后入口: every eligible re-open request is approved at once, before any rule. */
    autoOpenEntry: z.boolean(),
    rules: z
      .array(autoRule)
      .max(50)
      .refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, { message: "Rule ids must be unique" }),
  })
  .strict();
export type RuleSet = z.infer<typeof ruleSetBody>;

/** The owner saves a shop's whole set at once, on the version they edited. */
export const saveRulesBody = z
  .object({
    shopId: idSchema("shop"),
    expectedVersion: z.number().int().min(0),
    ruleSet: ruleSetBody,
  })
  .strict();
export type SaveRulesBody = z.infer<typeof saveRulesBody>;

export const backtestWindows = [30, 90] as const;

export const backtestBody = z
  .object({
    shopId: idSchema("shop"),
    windowDays: z.union([z.literal(30), z.literal(90)]),
    ruleSet: ruleSetBody,
  })
  .strict();
export type BacktestBody = z.infer<typeof backtestBody>;
