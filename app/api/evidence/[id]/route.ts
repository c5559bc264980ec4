import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { getEvidenceFile } from "@/db/queries/evidence";
import { apiError } from "@/lib/api-error";
import { idSchema } from "@/lib/ids";
import { evidenceContentSecurityPolicy } from "@/lib/security-headers";

const evidenceId = idSchema("evd");

export const GET = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = evidenceId.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not an evidence id: ${params.id}`);
  const file = await getEvidenceFile(getDb(), scope, id.data);
  if (!file) return apiError("not_found", `No evidence ${id.data}`);
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "content-type": file.mimeType,
      "cache-control": "private, max-age=86400, immutable",
      "x-content-type-options": "nosniff",
      // Uploaded SVGs must never run script in our origin. next.config.ts puts the same policy on every answer
      // under /api/evidence/ (its 401/404 JSON too) and Next keeps that one; this one holds outside Next's router
      "content-security-policy": evidenceContentSecurityPolicy,
    },
  });
});
