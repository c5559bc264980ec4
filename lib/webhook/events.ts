import { z } from "zod";
import { afterSalesKinds, knownPriorRefundStates, orderFacts, platforms, requestKinds } from "@/lib/domain";
import { productCategories } from "@/lib/policy/categories";

// The public contract of POST /api/platforms/{platform}/events (docs/webhooks.md). No transforms, so
// z.toJSONSchema can generate the OpenAPI document from these same schemas.

export const maxWebhookBodyBytes = 256 * 1024;

/** 256 KiB exactly is accepted; one byte more is refused with 413. */
export function isBodyTooLarge(bodyBytes: number): boolean {
  return bodyBytes > maxWebhookBodyBytes;
}

export const platformParam = z.enum(platforms);

// 18–19-digit platform ids lose precision as JS numbers, so the contract takes strings only
export const platformId = z
  .string({
    error: (issue) => (issue.input === undefined ? undefined : "Platform ids are strings, never numbers"),
  })
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "Platform ids use letters, digits and _ . : - only");

/** ISO-8601 with a Z or an offset (platforms send +08:00); a local time without offset is ambiguous. */
export const isoInstant = z.iso.datetime({ offset: true });

export const amountFen = z.int().nonnegative();

const shortText = z.string().min(1).max(200);
const longText = z.string().min(1).max(2000);

const evidenceUrls = z.array(z.url({ protocol: /^https?$/ })).max(50);

// An order fact left out is unknown (the card says so and no rule acts on it); null says it has not happened yet.
const orderInstant = isoInstant.nullable().optional();

export const webhookOrder = z.object({
  orderId: platformId,
  /** Our category code, or its Chinese name (生鲜, 水果 … → fresh_food), or the platform's own text, kept verbatim. */
  category: shortText.meta({
    description: `One of ${productCategories.join(", ")}; Chinese names such as 生鲜/水果/蔬菜 (fresh_food), 服饰/女装 (apparel), 手机/数码 (3c_digital) are accepted; anything else is kept verbatim and shown as 类目未识别.`,
    examples: ["fresh_food", "生鲜", "apparel"],
  }),
  title: shortText,
  amountFen,
  /** 交易成功: when the after-sales period starts. */
  completedAt: orderInstant,
  /** When the buyer signed for the goods. */
  receivedAt: orderInstant,
  /** When the seller shipped: a 仅退款 on an unshipped order cannot be refused on Taobao/Tmall. */
  shippedAt: orderInstant,
  // Kinds the product allows (docs/domain/kinds.md); entry_reopen is a request, not a product option
  supportedKinds: z.array(z.enum(afterSalesKinds)).max(afterSalesKinds.length),
  priorRefund: z.enum(knownPriorRefundStates).optional(),
  /** Facts the sender could not read (they count as unknown even when a value is given). */
  unknownFacts: z.array(z.enum(orderFacts)).max(orderFacts.length).optional(),
  /** The sub-order (Taobao oid, Douyin sku order id) the request is about. */
  subOrderId: platformId.optional(),
});

export const webhookBuyer = z.object({
  id: platformId,
  nick: z.string().max(64),
});

export const requestCreatedData = z.object({
  requestId: platformId,
  kind: z.enum(requestKinds),
  order: webhookOrder,
  buyer: webhookBuyer,
  reasonCode: shortText,
  reasonText: longText.optional(),
  // The buyer's 填写问题 text on an entry_reopen card (docs/domain/after-sales-entry.md)
  claim: longText.optional(),
  evidence: evidenceUrls,
  amountFen: amountFen.optional(),
  platformDeadline: isoInstant.optional(),
});

const requestCancelledData = z.object({ requestId: platformId });

const requestUpdatedData = z
  .object({
    requestId: platformId,
    kind: z.enum(requestKinds).optional(),
    amountFen: amountFen.optional(),
    evidence: evidenceUrls.optional(),
    reasonCode: shortText.optional(),
    reasonText: longText.optional(),
    claim: longText.optional(),
  })
  .refine(
    ({ kind, amountFen, evidence, reasonCode, reasonText, claim }) =>
      [kind, amountFen, evidence, reasonCode, reasonText, claim].some((value) => value !== undefined),
    { message: "An update changes at least one of kind, amountFen, evidence, reasonCode, reasonText, claim" },
  );

export const proposalOutcomes = ["accepted", "rejected", "lapsed"] as const;
export type ProposalOutcome = (typeof proposalOutcomes)[number];

// Douyin's 主动介入协商 proposal; without expiresAt the profile's 12 h applies (docs/domain/negotiation.md)
const proposalCreatedData = z.object({
  requestId: platformId,
  proposalId: platformId,
  expiresAt: isoInstant.optional(),
});

const proposalResolvedData = z.object({
  requestId: platformId,
  proposalId: platformId,
  outcome: z.enum(proposalOutcomes),
});

const deadlineChangedData = z.object({
  requestId: platformId,
  platformDeadline: isoInstant,
});

const orderUpsertedData = z.object({ order: webhookOrder });

const eventId = z.string().regex(/^evt_[A-Za-z0-9_-]{1,96}$/, 'Event ids look like "evt_" + 1–96 of A–Z a–z 0–9 _ -');

function defineEvent<const Type extends string, Data extends z.ZodType>(type: Type, data: Data) {
  return z.object({ id: eventId, type: z.literal(type), occurredAt: isoInstant, data });
}

export const webhookEvent = z.discriminatedUnion("type", [
  defineEvent("request.created", requestCreatedData),
  defineEvent("request.cancelled", requestCancelledData),
  defineEvent("request.updated", requestUpdatedData),
  defineEvent("proposal.created", proposalCreatedData),
  defineEvent("proposal.resolved", proposalResolvedData),
  defineEvent("deadline.changed", deadlineChangedData),
  defineEvent("order.upserted", orderUpsertedData),
]);

export type WebhookEvent = z.infer<typeof webhookEvent>;
export type WebhookEventType = WebhookEvent["type"];
export type WebhookOrder = z.infer<typeof webhookOrder>;
export type WebhookBuyer = z.infer<typeof webhookBuyer>;

export const webhookEventTypes = webhookEvent.options.map((option) => option.shape.type.value);

// Checked before the type so that an unknown type from a newer platform is told apart from a bad envelope
const eventEnvelope = z.object({
  id: eventId,
  type: z.string().min(1),
  occurredAt: isoInstant,
  data: z.record(z.string(), z.unknown()),
});

export type EventIssue = { path: string; message: string };

export type ParsedWebhookEvent =
  | { ok: true; event: WebhookEvent }
  | { ok: false; code: "unknown_type" | "invalid_event"; message: string; issues: EventIssue[] };

/** "data.order.amountFen", "data.evidence[0]"; the empty path is the body itself. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    return text === "" ? String(key) : `${text}.${String(key)}`;
  }, "");
}

function toRefusal(issues: readonly z.core.$ZodIssue[]): ParsedWebhookEvent {
  const eventIssues = issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  const [first] = eventIssues;
  return {
    ok: false,
    code: "invalid_event",
    message: first.path === "" ? first.message : `${first.path}: ${first.message}`,
    issues: eventIssues,
  };
}

function isKnownEventType(type: string): type is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(type);
}

/** Parses the raw body of a verified request; never throws. */
export function parseWebhookEvent(rawBody: string): ParsedWebhookEvent {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    const message = "Body is not valid JSON";
    return { ok: false, code: "invalid_event", message, issues: [{ path: "", message }] };
  }
  const envelope = eventEnvelope.safeParse(body);
  if (!envelope.success) return toRefusal(envelope.error.issues);
  if (!isKnownEventType(envelope.data.type)) {
    const message = `Unknown event type "${envelope.data.type}"; known: ${webhookEventTypes.join(", ")}`;
    return { ok: false, code: "unknown_type", message, issues: [{ path: "type", message }] };
  }
  const event = webhookEvent.safeParse(body);
  if (!event.success) return toRefusal(event.error.issues);
  return { ok: true, event: event.data };
}
