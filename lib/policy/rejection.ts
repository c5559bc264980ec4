import type { OrderFact, RequestKind } from "@/lib/domain";
import type { PolicyProfile, UnrejectableRule } from "@/lib/policy/profiles";

type RejectionProfile = Pick<PolicyProfile, "reject" | "rejectReasons" | "rejectMessageChars">;

/** unknownFacts: what the platform could not tell us; a rule never claims what an unknown fact would decide. */
export type RejectionOrder = { shippedAt: Date | null; unknownFacts?: readonly OrderFact[] };
export type RejectionRequest = { kind: RequestKind; isSevenDayNoReason?: boolean };
export type EvidenceFile = { name: string; type: string; sizeBytes: number };
export type RejectionDraft = { reasonCode: string | null; message: string; evidence: readonly EvidenceFile[] };

/** "platform": every rejection needs proof (Tmall); "reason": the chosen reason is a claim to prove. */
export type EvidenceRequiredBy = "platform" | "reason";

export type RejectionRequirement =
  | { code: "not_rejectable"; rule: UnrejectableRule }
  | { code: "reason"; reasonCodes: string[] }
  | { code: "message"; minChars: number; maxChars: number }
  | {
      code: "evidence";
      isRequired: boolean;
      requiredBy: EvidenceRequiredBy | null;
      allowedTypes: readonly string[];
      maxBytesEach: number;
      maxFiles: number;
    };

export type RejectionProblem =
  | { code: "not_rejectable"; rule: UnrejectableRule }
  | { code: "reason_missing" }
  | { code: "reason_unknown"; reasonCode: string }
  | { code: "message_too_short"; minChars: number; chars: number }
  | { code: "message_too_long"; maxChars: number; chars: number }
  | { code: "evidence_missing"; requiredBy: EvidenceRequiredBy }
  | { code: "evidence_too_many"; maxFiles: number; files: number }
  | { code: "evidence_type"; fileName: string; type: string }
  | { code: "evidence_empty"; fileName: string }
  | { code: "evidence_too_large"; fileName: string; sizeBytes: number; maxBytesEach: number };

export type RejectionCheck = { ok: true } | { ok: false; missing: RejectionProblem[] };

/** Requests the platform forbids rejecting (docs/domain/rejections.md: unshipped refund-only, 7天无理由). */
export function getUnrejectableRules(
  profile: Pick<PolicyProfile, "reject">,
  order: RejectionOrder,
  request: RejectionRequest,
): UnrejectableRule[] {
  return profile.reject.unrejectable.filter((rule) => {
    switch (rule) {
      case "refund_only_unshipped":
        return request.kind === "refund_only" && order.shippedAt === null && !order.unknownFacts?.includes("shipped");
      case "seven_day_no_reason":
        return request.isSevenDayNoReason === true;
    }
  });
}

function getEvidenceRequiredBy(profile: RejectionProfile, reasonCode: string | null): EvidenceRequiredBy | null {
  if (profile.reject.isEvidenceAlwaysRequired) return "platform";
  const reason = profile.rejectReasons.find((candidate) => candidate.code === reasonCode);
  return reason?.isEvidenceRequired ? "reason" : null;
}

/** What the reject dialog lists for this reason; a request that may not be rejected lists only why. */
export function getRejectionRequirements(
  profile: RejectionProfile,
  order: RejectionOrder,
  request: RejectionRequest,
  reasonCode: string | null,
): RejectionRequirement[] {
  const unrejectable = getUnrejectableRules(profile, order, request);
  if (unrejectable.length > 0) return unrejectable.map((rule) => ({ code: "not_rejectable", rule }));
  const requiredBy = getEvidenceRequiredBy(profile, reasonCode);
  return [
    { code: "reason", reasonCodes: profile.rejectReasons.map((reason) => reason.code) },
    { code: "message", minChars: profile.rejectMessageChars.min, maxChars: profile.rejectMessageChars.max },
    { code: "evidence", isRequired: requiredBy !== null, requiredBy, ...profile.reject.evidence },
  ];
}

/** Characters are Unicode code points of the trimmed message, so "  " is empty and an emoji counts once. */
function countMessageChars(message: string): number {
  return Array.from(message.trim()).length;
}

function getEvidenceProblems(profile: RejectionProfile, evidence: readonly EvidenceFile[]): RejectionProblem[] {
  const limits = profile.reject.evidence;
  const problems: RejectionProblem[] = [];
  if (evidence.length > limits.maxFiles) {
    problems.push({ code: "evidence_too_many", maxFiles: limits.maxFiles, files: evidence.length });
  }
  for (const file of evidence) {
    if (!limits.allowedTypes.includes(file.type.toLowerCase())) {
      problems.push({ code: "evidence_type", fileName: file.name, type: file.type });
    }
    if (file.sizeBytes <= 0) problems.push({ code: "evidence_empty", fileName: file.name });
    if (file.sizeBytes > limits.maxBytesEach) {
      problems.push({ code: "evidence_too_large", fileName: file.name, sizeBytes: file.sizeBytes, maxBytesEach: limits.maxBytesEach });
    }
  }
  return problems;
}

/** The same check for the dialog (blocks 发送) and the server (422 with `missing`). */
export function validateRejection(
  profile: RejectionProfile,
  order: RejectionOrder,
  request: RejectionRequest,
  draft: RejectionDraft,
): RejectionCheck {
  const unrejectable = getUnrejectableRules(profile, order, request);
  if (unrejectable.length > 0) {
    return { ok: false, missing: unrejectable.map((rule) => ({ code: "not_rejectable", rule })) };
  }
  const missing: RejectionProblem[] = [];
  // docs/domain/rejections.md: rejecting without a reason counts as 卖家有责
  if (draft.reasonCode === null || draft.reasonCode === "") {
    missing.push({ code: "reason_missing" });
  } else if (!profile.rejectReasons.some((reason) => reason.code === draft.reasonCode)) {
    missing.push({ code: "reason_unknown", reasonCode: draft.reasonCode });
  }
  const chars = countMessageChars(draft.message);
  const { min, max } = profile.rejectMessageChars;
  if (chars < min) missing.push({ code: "message_too_short", minChars: min, chars });
  if (chars > max) missing.push({ code: "message_too_long", maxChars: max, chars });
  const requiredBy = getEvidenceRequiredBy(profile, draft.reasonCode);
  if (requiredBy !== null && draft.evidence.length === 0) missing.push({ code: "evidence_missing", requiredBy });
  missing.push(...getEvidenceProblems(profile, draft.evidence));
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

/** The files of one pick that fit beside those attached under the platform's limit, and those that do not (never sent). */
export function takeWithinFileLimit<File>(files: readonly File[], attached: number, maxFiles: number): { taken: File[]; skipped: File[] } {
  const room = Math.max(0, maxFiles - attached);
  return { taken: files.slice(0, room), skipped: files.slice(room) };
}
