import { buildOpenApiDocument } from "@/lib/webhook/openapi";

// The contract is public (docs/webhooks.md): no session needed to read it.
export function GET(request: Request) {
  return Response.json(buildOpenApiDocument(new URL(request.url).origin), { headers: { "cache-control": "public, max-age=300" } });
}
