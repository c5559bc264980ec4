import type { IncomingMessage } from "node:http";

export function readNodeBodyWithin(request: IncomingMessage, maxBytes: number): Promise<Buffer | null | undefined>;
