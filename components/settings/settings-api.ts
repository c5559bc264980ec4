import type { RotatedSecret } from "@/lib/webhook/settings-types";

// Calls of the owner's settings page; errors surface the API's message.

async function send(method: "POST" | "PUT", url: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(json?.error?.message ?? `HTTP ${response.status}`);
  return json;
}

export const settingsApi = {
  setEndpoint: (shopId: string, url: string) => send("PUT", `/api/settings/shops/${shopId}/endpoint`, { url }),
  /** The one answer that carries the new secret in clear. */
  rotateSecret: async (shopId: string) => (await send("POST", `/api/settings/shops/${shopId}/secret`)) as RotatedSecret,
  retryDelivery: (id: number) => send("POST", `/api/settings/deliveries/${id}/retry`),
};
