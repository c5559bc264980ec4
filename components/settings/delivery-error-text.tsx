"use client";

import { useTranslations } from "next-intl";
import { describeDeliveryError } from "@/lib/webhook/delivery-error";
import type { OutboxStatus } from "@/lib/webhook/settings-types";

/** A delivery's last error as a sentence (lib/webhook/delivery-error.ts), never the raw text. */
export function DeliveryErrorText({ error, status }: { error: string | null; status: OutboxStatus }) {
  const t = useTranslations("ownerPages.deliveryError");
  if (!error) return <>—</>;
  const { key, values } = describeDeliveryError(error, status);
  return <>{t(key, values)}</>;
}
