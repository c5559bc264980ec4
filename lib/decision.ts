import type { DecisionBody } from "@/lib/api-schemas";
import type { PolicyProfile } from "@/lib/policy/profiles";

export type InputIssue = { path: string; message: string };

/** What the platform demands of a decision's input: a known reason and a message within its bounds. */
export function checkDecisionInput(
  policy: Pick<PolicyProfile, "rejectReasons" | "rejectMessageChars">,
  body: DecisionBody,
): InputIssue[] {
  if (body.decision === "approve") return [];
  const issues: InputIssue[] = [];
  if (!policy.rejectReasons.some((reason) => reason.code === body.reasonCode)) {
    issues.push({ path: "reasonCode", message: `Unknown reason code "${body.reasonCode ?? ""}" for this platform` });
  }
  const length = Array.from(body.message ?? "").length;
  const { min, max } = policy.rejectMessageChars;
  if (length < min || length > max) {
    issues.push({ path: "message", message: `The message must be ${min}–${max} characters (got ${length})` });
  }
  return issues;
}
