"use client";

import { useTranslations } from "next-intl";
import { isFallbackRejectReasonCode, type RejectReason } from "@/lib/policy/profiles";

/**
 * A reject reason as the agent reads it: the platform's own words for a reason its API listed, the messages' words
 * (`rejectReason.<code>`) for the desk's fallback reasons, and the stored code only for a reason neither knows.
 */
export function useRejectReasonLabel() {
  const t = useTranslations("rejectReason");
  return (reason: Pick<RejectReason, "code" | "platformText">): string => reason.platformText ?? (isFallbackRejectReasonCode(reason.code) ? t(reason.code) : reason.code);
}
