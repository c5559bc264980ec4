import type { IncomingMessage, RequestListener } from "node:http";
import type { PlatformReceiver } from "../app/_server/platform-receiver";

export function createPlatformEventsListener(options: {
  getReceiver: () => PlatformReceiver | undefined;
  fallback: RequestListener<typeof IncomingMessage>;
  logError?: (...values: unknown[]) => void;
}): RequestListener<typeof IncomingMessage>;
