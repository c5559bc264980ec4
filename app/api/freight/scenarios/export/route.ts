import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { listScenarios } from "@/db/queries/freight";
import { apiError } from "@/lib/api-error";
import { defaultLocale, locales, readLocale } from "@/lib/i18n/locales";
import { idSchema } from "@/lib/ids";
import { toScenarioCsv } from "@/lib/return-freight/scenario-csv";

const exportQuery = z.object({
  shop: idSchema("shop"),
  /** Comma-separated scenario ids; absent: every scenario of the shop. */
  ids: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(",") : undefined))
    .pipe(z.array(idSchema("fsc")).max(100).optional()),
  /** The reader's language, as the page passes it: the headings and sentences are in it (an older link's "zh" too). */
  locale: z.preprocess((value) => (typeof value === "string" ? (readLocale(value) ?? value) : value), z.enum(locales).default(defaultLocale)),
});

export const GET = withScope(async (request, { scope }) => {
  const query = exportQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  const scenarios = await listScenarios(getDb(), scope, query.data.shop, query.data.ids);
  if (!scenarios) return apiError("not_found", `No shop ${query.data.shop}`);
  const t = await getTranslations({ locale: query.data.locale, namespace: "freight" });
  const csv = toScenarioCsv(scenarios, t);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="tuihuobao-scenarios.csv"`,
      "cache-control": "no-store",
    },
  });
}, { role: "owner" });
