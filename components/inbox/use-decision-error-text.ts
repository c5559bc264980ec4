"use client";

import { useTranslations } from "next-intl";
import { ApiError } from "@/components/request-json";
import type { AnswerProblem, NotOfferedReason } from "@/lib/platforms/types";
import { classifyRequestError } from "@/lib/request-error";

/** A refused decision in the agent's words: what the platform would not take, else what kind of refusal it was (never the API's English). */
export function useDecisionErrorText() {
  const t = useTranslations("card");
  const tPolicy = useTranslations("policy");
  const tError = useTranslations("ownerPages.requestError");
  const problemText = (problem: AnswerProblem): string => {
    switch (problem.code) {
      case "answer_not_offered":
        return t("platformProblem.answer_not_offered", { reason: tPolicy(`answerNotOffered.${problem.reason}`) });
      case "message_length":
        return t("platformProblem.message_length", { min: problem.min, max: problem.max, chars: problem.chars });
      case "proof_type":
      case "proof_too_large":
        return t(`platformProblem.${problem.code}`, { fileName: problem.fileName });
      case "proof_required":
      case "reason_not_platform":
      case "reasons_unavailable":
        return t(`platformProblem.${problem.code}`);
    }
  };
  return (error: Error): string => {
    if (!(error instanceof ApiError)) return tError(classifyRequestError(error));
    const detail = error.detail;
    if (error.code === "answer_not_offered") return problemText({ code: "answer_not_offered", reason: detail.reason as NotOfferedReason });
    if (error.code === "platform_refuses" && Array.isArray(detail.problems)) return (detail.problems as AnswerProblem[]).map(problemText).join("；") || t("platformProblem.other");
    return tError(classifyRequestError(error));
  };
}
