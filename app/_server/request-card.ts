import "server-only";
import type { Db } from "@/db/client";
import { getRequestCard } from "@/db/queries/requests";
import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { requestIdParam } from "@/lib/api-schemas";
import type { RequestCard } from "@/lib/api-types";

// The card loader of the /api/requests/[id]/… routes: the id in the path, then the card the caller may see.

/** The route's `[id]` as a request id; anything else is 400 invalid_id. */
export function parseRequestId(raw: string): { id: string } | { error: Response } {
  const id = requestIdParam.safeParse(raw);
  return id.success ? { id: id.data } : { error: apiError("invalid_id", `Not a request id: ${raw}`) };
}

/** The card if it is in the caller's scope; a card that does not exist and one they may not see are both 404 not_found. */
export async function findCardOr404(db: Db, scope: Scope, id: string): Promise<{ card: RequestCard } | { error: Response }> {
  const card = await getRequestCard(db, scope, id);
  return card ? { card } : { error: apiError("not_found", `No request ${id}`) };
}

/** Both steps in order, for the routes that read the card before anything else (the decision route reads its body in between). */
export async function loadCardOr404(db: Db, scope: Scope, raw: string): Promise<{ id: string; card: RequestCard } | { error: Response }> {
  const parsed = parseRequestId(raw);
  if ("error" in parsed) return parsed;
  const found = await findCardOr404(db, scope, parsed.id);
  return "error" in found ? found : { id: parsed.id, card: found.card };
}
