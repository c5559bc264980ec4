import { requestJson } from "@/components/request-json";
import type { RotatedSecret } from "@/lib/webhook/settings-types";

// Calls of the owner's settings page; errors surface the API's message.

function send(method: "POST" | "PUT", url: string, body?: unknown): Promise<unknown> {
  return requestJson(url, { method, json: body });
}

export const settingsApi = {
  setEndpoint: (shopId: string, url: string) => send("PUT", `/api/settings/shops/${shopId}/endpoint`, { url }),
  /** The one answer that carries the new secret in clear. */
  rotateSecret: async (shopId: string) => (await send("POST", `/api/settings/shops/${shopId}/secret`)) as RotatedSecret,
  retryDelivery: (id: number) => send("POST", `/api/settings/deliveries/${id}/retry`),
};
