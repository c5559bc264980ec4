import { z } from "zod";
import { platforms } from "@/lib/domain";
import { decisionEvent, idempotencyKeyHeader } from "@/lib/webhook/outbound";
import { maxWebhookBodyBytes, webhookEvent, webhookEventTypes } from "@/lib/webhook/events";
import { timestampToleranceS, webhookHeaders } from "@/lib/webhook/signature";

// GET /api/openapi.json (docs/webhooks.md): generated from the zod schemas the route validates with, so the
// document cannot drift from the code.

export const receivedResponse = z.object({ received: z.literal(true), duplicate: z.boolean() });

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** Every answer of the inbound route, in the order the route checks them. */
export const inboundResponses = [
  { status: 200, code: null, when: "Stored with its effects; duplicate: true when this shop already sent this event id (no second effect)" },
  { status: 404, code: "not_found", when: `The platform in the path is not one of ${platforms.join(", ")}` },
  { status: 413, code: "payload_too_large", when: `The body is over ${maxWebhookBodyBytes} bytes (256 KiB); checked before anything else` },
  { status: 401, code: "malformed_timestamp", when: `${webhookHeaders.timestamp} is not Unix seconds` },
  { status: 401, code: "timestamp_out_of_range", when: `${webhookHeaders.timestamp} is more than ${timestampToleranceS} s from the server's clock` },
  { status: 401, code: "bad_signature", when: "The signature does not match, or the shop is unknown (the same body either way)" },
  { status: 422, code: "invalid_event", when: "The body is not JSON or breaks the schema; issues[].path names the bad field" },
  { status: 422, code: "unknown_type", when: `type is none of ${webhookEventTypes.join(", ")}` },
] as const;

function toSchema(schema: z.ZodType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  return rest;
}

const signatureDescription = `Lowercase hex HMAC-SHA256 of \`\${${webhookHeaders.timestamp}}.\${raw body}\` with the shop's webhook secret.`;

function signedHeaders(direction: "inbound" | "outbound") {
  return [
    { name: webhookHeaders.shopId, in: "header", required: true, schema: { type: "string" }, description: "The shop's id in the desk (settings → 平台连接)." },
    { name: webhookHeaders.timestamp, in: "header", required: true, schema: { type: "string", pattern: "^(0|[1-9][0-9]{0,11})$" }, description: `Unix seconds; refused when more than ${timestampToleranceS} s from the receiver's clock.` },
    { name: webhookHeaders.signature, in: "header", required: true, schema: { type: "string", pattern: "^[0-9a-f]{64}$" }, description: signatureDescription },
    ...(direction === "outbound"
      ? [{ name: idempotencyKeyHeader, in: "header", required: true, schema: { type: "string" }, description: "One per decision; a resend carries the same key, so dedupe on it." }]
      : []),
  ];
}

export function buildOpenApiDocument(serverUrl: string) {
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
  const responses: Record<string, unknown> = {
    "200": { description: inboundResponses[0].when, content: { "application/json": { schema: { $ref: "#/components/schemas/Received" } } } },
  };
  for (const answer of inboundResponses.slice(1)) {
    const key = String(answer.status);
    const previous = responses[key] as { description: string } | undefined;
    const line = `\`${answer.code}\`: ${answer.when}`;
    responses[key] = { description: previous ? `${previous.description}\n\n${line}` : line, content: errorContent };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "售后台 platform API",
      version: "1.0.0",
      description:
        "Platform adapters push after-sales events to the desk; the desk sends final decisions back. Both directions are signed with the shop's webhook secret (rotation keeps the old secret valid for 24 h).",
    },
    servers: [{ url: serverUrl }],
    paths: {
      "/api/platforms/{platform}/events": {
        post: {
          operationId: "postPlatformEvent",
          summary: "Receive one after-sales event",
          parameters: [{ name: "platform", in: "path", required: true, schema: { type: "string", enum: [...platforms] } }, ...signedHeaders("inbound")],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/WebhookEvent" } } } },
          responses,
        },
      },
    },
    webhooks: {
      "decision.made": {
        post: {
          operationId: "deliverDecision",
          summary: "A final decision, posted to the shop's decision endpoint",
          description:
            "Retried with exponential backoff and full jitter on no answer, 3xx, 408, 425, 429 or 5xx; after 12 failed tries it is parked as dead-letter and the card goes back to the agents. Any other 4xx refuses the decision: it is never retried and the card goes back to the agents with the body's `error.message`. The agents' next decision on that request is a new one, with its own Idempotency-Key.",
          parameters: signedHeaders("outbound"),
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/DecisionEvent" } } } },
          responses: {
            "2XX": { description: "Received" },
            "4XX": { description: "Refused (except 408, 425 and 429, which are retried): `error.message` is shown to the agents on the returned card", content: errorContent },
          },
        },
      },
    },
    components: {
      schemas: {
        WebhookEvent: toSchema(webhookEvent),
        DecisionEvent: toSchema(decisionEvent),
        Received: toSchema(receivedResponse),
        Error: toSchema(errorResponse),
      },
    },
  };
}
