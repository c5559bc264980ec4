import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";
import { buildOpenApiDocument, inboundResponses } from "@/lib/webhook/openapi";

type Variant = { properties: { type: { const: string }; data: unknown } };

const exampleShell = `BODY='{"id":"evt_demo_1","type":"request.created","occurredAt":"2026-11-20T10:02:10+08:00","data":{...}}'
TS=$(date +%s)
SIG=$(printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
curl -X POST "$DESK/api/platforms/tmall/events" \\
  -H "content-type: application/json" -H "X-Shop-Id: $SHOP" -H "X-Timestamp: $TS" -H "X-Signature: $SIG" \\
  --data-binary "$BODY"`;

/** The readable face of /api/openapi.json, rendered from the same document. */
export default async function ApiDocsPage() {
  await requirePageScope();
  const t = await getTranslations("webhooks");
  const document = buildOpenApiDocument("");
  const inbound = document.paths["/api/platforms/{platform}/events"].post;
  const eventSchema = document.components.schemas.WebhookEvent as { oneOf?: Variant[]; anyOf?: Variant[] };
  const variants = eventSchema.oneOf ?? eventSchema.anyOf ?? [];
  return (
    <article className="max-w-4xl space-y-6 text-sm leading-6">
      <header className="space-y-1">
        <h1 className="text-lg font-semibold">{t("docsTitle")}</h1>
        <p className="text-slate-600">
          {t("docsIntro")}{" "}
          <a href="/api/openapi.json" className="text-emerald-700 underline">
            /api/openapi.json
          </a>
        </p>
      </header>
      <section aria-labelledby="docs-endpoint" className="space-y-2">
        <h2 id="docs-endpoint" className="font-semibold">
          <code>POST /api/platforms/{"{platform}"}/events</code>
        </h2>
        <h3 className="font-medium">{t("docsHeaders")}</h3>
        <ul className="list-disc pl-5">
          {inbound.parameters.map((parameter) => (
            <li key={parameter.name}>
              <code>{parameter.name}</code> ({parameter.in}){"description" in parameter ? `: ${parameter.description}` : null}
            </li>
          ))}
        </ul>
        <h3 className="font-medium">{t("docsSigning")}</h3>
        <p>{t("docsSigningBody")}</p>
        <h3 className="font-medium">{t("docsResponses")}</h3>
        <Table isFramed={false} className="rounded bg-white ring-1 ring-slate-200">
          <TableHead>
            <tr>
              <Th className="py-1.5">HTTP</Th>
              <Th className="py-1.5">code</Th>
              <Th className="py-1.5">{t("type")}</Th>
            </tr>
          </TableHead>
          <TableBody>
            {inboundResponses.map((answer) => (
              <tr key={`${answer.status}-${answer.code}`}>
                <Td className="py-1.5 tabular-nums">{answer.status}</Td>
                <Td className="py-1.5">
                  <code>{answer.code ?? "received"}</code>
                </Td>
                <Td className="py-1.5">{answer.when}</Td>
              </tr>
            ))}
          </TableBody>
        </Table>
        <h3 className="font-medium">{t("docsExample")}</h3>
        <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{exampleShell}</pre>
      </section>
      <section aria-labelledby="docs-events" className="space-y-2">
        <h2 id="docs-events" className="font-semibold">
          {t("docsEvents")}
        </h2>
        {variants.map((variant) => (
          <details key={variant.properties.type.const} className="rounded bg-white p-2 ring-1 ring-slate-200">
            <summary className="cursor-pointer font-medium">
              <code>{variant.properties.type.const}</code>
            </summary>
            <pre tabIndex={0} className="mt-2 overflow-x-auto text-xs">{JSON.stringify(variant.properties.data, null, 2)}</pre>
          </details>
        ))}
      </section>
      <section aria-labelledby="docs-outbound" className="space-y-2">
        <h2 id="docs-outbound" className="font-semibold">
          {t("docsOutbound")}
        </h2>
        <p>{t("docsOutboundBody")}</p>
        <pre tabIndex={0} className="overflow-x-auto rounded bg-white p-3 text-xs ring-1 ring-slate-200">
          {JSON.stringify(document.components.schemas.DecisionEvent, null, 2)}
        </pre>
      </section>
    </article>
  );
}
