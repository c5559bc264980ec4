import type { IncomingMessage, RequestListener } from "node:http";
import type { FastRoutes } from "../app/_server/fast-routes";

export function createFastRoutesListener(options: {
  getRoutes: () => FastRoutes | undefined;
  fallback: RequestListener<typeof IncomingMessage>;
  logError?: (...values: unknown[]) => void;
}): RequestListener<typeof IncomingMessage>;
