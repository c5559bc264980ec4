import { z } from "zod";
import { parseJsonBody, withScope } from "@/app/_server/api";
import { parseRequestId } from "@/app/_server/request-card";
import { policyRefusalError } from "@/app/api/requests/[id]/policy-refusal";
import { getDb } from "@/db/client";
import { makeCounterOffer } from "@/db/queries/proposals";
import { apiError } from "@/lib/api-error";

// Whole fen and below the requested amount are the rule's to check (lib/policy/seller-negotiation.ts)
const counterOfferBody = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("partial_refund"), amountFen: z.number() }).strict(),
  z.object({ kind: z.literal("return_refund") }).strict(),
]);

/** The seller's counter-offer to the buyer (Taobao 2025: seller and buyer negotiate), with audit. */
export const POST = withScope<{ id: string }>(async (request, { scope, params }) => {
  const parsed = parseRequestId(params.id);
  if ("error" in parsed) return parsed.error;
  const { id } = parsed;
  const body = await parseJsonBody(request, counterOfferBody);
  if ("error" in body) return body.error;
  const result = await makeCounterOffer(getDb(), scope, id, body.data, new Date());
  if (result.ok) return Response.json({ counterOffer: result.counterOffer }, { status: 201 });
  switch (result.code) {
    case "not_found":
      return apiError("not_found", `No request ${id}`);
    case "already_decided":
      return apiError("already_decided", "This request is no longer pending");
    case "invalid_counter_offer":
      return apiError("invalid_counter_offer", `The counter-offer is not valid: ${result.problems.map((problem) => problem.code).join(", ")}`, {
        problems: result.problems,
      });
    default:
      return policyRefusalError(result);
  }
});
