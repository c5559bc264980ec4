import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/webhook/openapi";
import { productCategories } from "@/lib/policy/categories";
import { webhookEventTypes } from "@/lib/webhook/events";

const document = buildOpenApiDocument("http://localhost:3000");

describe("buildOpenApiDocument", () => {
  it("is OpenAPI 3.1 with the inbound path and the outbound webhook", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(["/api/platforms/{platform}/events"]);
    expect(Object.keys(document.webhooks)).toEqual(["decision.made"]);
  });

  it("describes every event type from the zod contract, with its required fields", () => {
    const schema = document.components.schemas.WebhookEvent as { oneOf?: { properties: { type: { const: string } } }[]; anyOf?: unknown[] };
    const variants = (schema.oneOf ?? schema.anyOf) as { properties: { type: { const: string }; data: { required: string[] } } }[];
    expect(variants.map((variant) => variant.properties.type.const).sort()).toEqual([...webhookEventTypes].sort());
    const created = variants.find((variant) => variant.properties.type.const === "request.created")!;
    expect(created.properties.data.required).toEqual(expect.arrayContaining(["requestId", "kind", "order", "buyer", "reasonCode", "evidence"]));
  });

  it("documents the order facts: every category code, the Chinese names it accepts, and shippedAt", () => {
    const schema = document.components.schemas.WebhookEvent as { oneOf?: unknown[]; anyOf?: unknown[] };
    const variants = (schema.oneOf ?? schema.anyOf) as { properties: { type: { const: string }; data: { properties: Record<string, unknown> } } }[];
    const created = variants.find((variant) => variant.properties.type.const === "request.created")!;
    const order = created.properties.data.properties.order as { properties: Record<string, { description?: string; anyOf?: unknown[] }> };
    const category = order.properties.category;
    for (const code of productCategories) expect(category.description).toContain(code);
    expect(category.description).toMatch(/生鲜.*fresh_food/);
    expect(category.description).toContain("类目未识别");
    expect(Object.keys(order.properties)).toEqual(expect.arrayContaining(["shippedAt", "receivedAt", "completedAt", "priorRefund", "unknownFacts", "subOrderId"]));
  });

  it("lists each refusal's status", () => {
    const { responses } = document.paths["/api/platforms/{platform}/events"].post;
    expect(Object.keys(responses).sort()).toEqual(["200", "401", "404", "413", "422"]);
    expect((responses["401"] as { description: string }).description).toMatch(/bad_signature[\s\S]*unknown/);
  });

  it("is plain JSON (no $schema dialect line inside components)", () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(JSON.stringify(document.components)).not.toContain("$schema");
  });
});
