import { withScope } from "@/app/_server/api";
import { loadCardOr404 } from "@/app/_server/request-card";
import { getDb } from "@/db/client";
import { saveRejectionEvidence } from "@/db/queries/decision-policy";
import { apiError } from "@/lib/api-error";
import { bodyLimits } from "@/lib/body-limits";
import { sniffEvidenceType } from "@/lib/evidence-type";
import { getPolicyProfile } from "@/lib/policy/profiles";

/**
 * One proof file for a rejection (multipart field "file"): images or PDF by content, ≤ 5 MB (docs/domain/rejections.md).
 * withScope has read the body within the upload cap (413 past it), so the form is parsed from bytes in hand.
 */
export const POST = withScope<{ id: string }>(async (request, { scope, params }) => {
  const db = getDb();
  const loaded = await loadCardOr404(db, scope, params.id);
  if ("error" in loaded) return loaded.error;
  const { card } = loaded;
  const { maxBytesEach, allowedTypes } = getPolicyProfile(card.platform).reject.evidence;
  let file: FormDataEntryValue | null;
  try {
    file = (await request.formData()).get("file");
  } catch {
    return apiError("invalid_body", 'Send multipart/form-data with one file in the field "file"');
  }
  if (!(file instanceof File)) return apiError("invalid_body", 'Send multipart/form-data with one file in the field "file"');
  if (file.size > maxBytesEach) return apiError("payload_too_large", `Each file may be at most ${maxBytesEach} bytes`, { maxBytesEach });
  if (file.size === 0) return apiError("invalid_body", "The file is empty");
  const bytes = Buffer.from(await file.arrayBuffer());
  // The stored type is what the bytes are, never what the browser said
  const type = sniffEvidenceType(bytes);
  if (!type || !allowedTypes.includes(type)) {
    return apiError("unsupported_media_type", "Only images (JPEG, PNG, WebP, GIF, HEIC) or PDF files are accepted", { allowedTypes });
  }
  const name = Array.from(file.name.replace(/[\\/\p{Cc}]/gu, "_").trim() || "evidence").slice(-120).join("");
  const saved = await saveRejectionEvidence(db, { shopId: card.shop.id, name, mimeType: type, bytes });
  return Response.json({ evidence: { ...saved, url: `/api/evidence/${saved.id}` } }, { status: 201 });
}, { maxBodyBytes: bodyLimits.evidenceUpload });
