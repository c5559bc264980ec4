import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evidenceFiles } from "@/db/schema";
import type { Scope } from "@/db/queries/users";

export async function getEvidenceFile(db: Db, scope: Scope, id: string) {
  if (scope.shopIds.length === 0) return null;
  const [row] = await db
    .select({ bytes: evidenceFiles.bytes, mimeType: evidenceFiles.mimeType, name: evidenceFiles.name })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.id, id), inArray(evidenceFiles.shopId, scope.shopIds)));
  return row ?? null;
}
