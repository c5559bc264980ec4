import { z } from "zod";
import { idSchema } from "@/lib/ids";

// Inputs of the owner's platform-connection settings (docs/webhooks.md), shared by the routes and the form.

export const shopIdParam = idSchema("shop");

export const endpointBody = z.object({
  url: z.url({ protocol: /^https?$/, error: "An http(s) URL, e.g. https://open.example.com/decisions" }).max(2000),
});

export const deliveryIdParam = z.coerce.number().int().positive();
