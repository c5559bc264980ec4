import "server-only";
import { getDb } from "@/db/client";
import type { ClaimResult } from "@/db/queries/claims";
import { getRequestCard } from "@/db/queries/requests";
import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";

/** One answer for claim, release and assign: the card as it is now, or why not. */
export async function answerClaim(result: ClaimResult, scope: Scope, id: string): Promise<Response> {
  if (result.ok) return Response.json({ card: await getRequestCard(getDb(), scope, id) });
  switch (result.code) {
    case "not_found":
      return apiError("not_found", `No request ${id}`);
    case "not_pending":
      return apiError("conflict", "Only a pending card can be claimed");
    case "claimed_by_other":
      return apiError("claimed_by_other", `Already claimed by ${result.claimedBy?.name ?? "someone else"}`, { claimedBy: result.claimedBy });
    case "not_allowed":
      return apiError("forbidden", "Not allowed for this card or user");
  }
}
