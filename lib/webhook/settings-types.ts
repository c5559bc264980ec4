import type { Platform } from "@/lib/domain";

// JSON shapes of the owner's platform-connection settings (docs/webhooks.md), shared by db/, the API and the UI.

/** refused: the platform answered with a business error (never retried; the card went back to the agents). */
export const outboxStatuses = ["pending", "delivered", "dead", "refused"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export type ShopConnection = {
  shopId: string;
  shopName: string;
  platform: Platform;
  endpointUrl: string | null;
  /** The current webhook secret masked ("••••" and its last 4 characters), null when none: the clear secret is answered once, by the rotation. */
  maskedSecret: string | null;
  /** When each rotated-out secret that still verifies stops working. */
  previousSecretsValidUntil: string[];
};

/** POST /api/settings/shops/:shopId/secret: the new secret in clear, this once, and its masked form. */
export type RotatedSecret = { shopId: string; secret: string; maskedSecret: string; previousValidUntil: string };

export type WebhookEventRow = {
  id: number;
  shopId: string;
  eventId: string;
  type: string;
  platformRequestId: string | null;
  occurredAt: string;
  receivedAt: string;
};

export type DeliveryRow = {
  id: number;
  shopId: string;
  requestId: string;
  platformRequestId: string;
  idempotencyKey: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** Dead and its card still holds that decision: the owner may send it again (else the agents answer anew). */
  isRetryable: boolean;
};
