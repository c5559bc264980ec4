"use client";

import { useTranslations } from "next-intl";
import { ApiError } from "@/components/request-json";
import type { AnswerProblem, NotOfferedReason } from "@/lib/platforms/types";

/** A refused decision in the agent's words: what the platform would not take, else the server's own message. */
export function useDecisionErrorText() {
  const t = useTranslations("card");
  const tPolicy = useTranslations("policy");
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
    if (!(error instanceof ApiError)) return error.message;
    const detail = error.detail;
    if (error.code === "answer_not_offered") return problemText({ code: "answer_not_offered", reason: detail.reason as NotOfferedReason });
    if (error.code === "platform_refuses" && Array.isArray(detail.problems)) return (detail.problems as AnswerProblem[]).map(problemText).join("；") || t("platformProblem.other");
    return error.message;
  };
}
