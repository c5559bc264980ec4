import type { PolicyRefusal } from "@/db/queries/decision-policy";
import { apiError } from "@/lib/api-error";

/** The platform rule a decision or counter-offer broke, as { error: { code, message, ...why } } (docs/domain/README.md). */
export function policyRefusalError(refusal: PolicyRefusal): Response {
  switch (refusal.code) {
    case "negotiation_lock":
      return apiError(refusal.code, `The platform's proposal is valid until ${refusal.until}: only approving the original request is allowed`, { until: refusal.until });
    case "not_rejectable":
      return apiError(refusal.code, `The platform does not allow rejecting this request (${refusal.rules.join(", ")})`, { rules: refusal.rules });
    case "not_eligible":
      return apiError(refusal.code, `The after-sales entry cannot be opened: ${refusal.eligibility.reason}`, {
        reason: refusal.eligibility.reason,
        eligibility: refusal.eligibility,
      });
    case "not_negotiable":
      return apiError(refusal.code, "Only refund requests take a counter-offer");
    case "rejection_incomplete":
      return apiError(refusal.code, `The rejection is missing: ${refusal.missing.map((problem) => problem.code).join(", ")}`, { missing: refusal.missing });
    case "answer_not_offered":
      return apiError(refusal.code, `The platform's API offers no such answer for this request (${refusal.reason})`, { reason: refusal.reason });
    case "platform_refuses":
      return apiError(refusal.code, `The platform would not accept this answer: ${refusal.problems.map((problem) => problem.code).join(", ")}`, { problems: refusal.problems });
    case "evidence_not_found":
      return apiError(refusal.code, "Some evidence was not uploaded to this shop", { evidenceIds: refusal.evidenceIds });
  }
}
