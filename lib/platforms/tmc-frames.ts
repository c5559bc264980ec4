import { PlatformMessageError, parseJsonLossless, toIdString } from "@/lib/platforms/common";

// TMC WebSocket frames (issue 11, PLATFORMS.md §1). The real TMC speaks a binary codec that only its Java/.NET
// SDKs define, which we cannot check against a live server; so this ONE module frames the documented fields as
// JSON text frames (`{"type":…}`), ids as digit strings. A binary codec replaces encode/decode here and nothing
// else changes (README: unverified against a live account).

/** A message as TMC delivers it: the documented frame fields (content is the topic's JSON string). */
export type TmcFrameMessage = {
  id: string;
  topic: string;
  content: string;
  /** Publish time, `yyyy-MM-dd HH:mm:ss` China time. */
  time: string;
  publisher: string;
  userid: string;
  nick: string;
  dataid: string;
  /** When TMC gives up on the message, `yyyy-MM-dd HH:mm:ss`. */
  outtime: string;
  /** How many times TMC has delivered it before. */
  retried: number;
};

export type TmcFrame =
  | { type: "connect"; appKey: string; groupName: string; timestamp: number; sign: string }
  | { type: "connected" }
  | { type: "refused"; reason: string }
  | { type: "pull" }
  | { type: "message"; message: TmcFrameMessage }
  | { type: "confirm"; id: string }
  | { type: "failed"; id: string; reason: string };

export function encodeTmcFrame(frame: TmcFrame): string {
  return JSON.stringify(frame);
}

const str = (value: unknown, field: string): string => {
  if (typeof value !== "string") throw new PlatformMessageError(`TMC frame: ${field} is not a string`);
  return value;
};

/** A text frame → one frame; 19-digit ids stay exact (sent as numbers or strings). */
export function decodeTmcFrame(data: string): TmcFrame {
  let raw: Record<string, unknown>;
  try {
    raw = parseJsonLossless(data) as Record<string, unknown>;
  } catch {
    throw new PlatformMessageError("TMC frame is not JSON");
  }
  if (!raw || typeof raw !== "object") throw new PlatformMessageError("TMC frame is not an object");
  switch (raw.type) {
    case "connect":
      return { type: "connect", appKey: str(raw.appKey, "appKey"), groupName: str(raw.groupName, "groupName"), timestamp: Number(raw.timestamp), sign: str(raw.sign, "sign") };
    case "connected":
    case "pull":
      return { type: raw.type };
    case "refused":
      return { type: "refused", reason: str(raw.reason, "reason") };
    case "confirm":
      return { type: "confirm", id: toIdString(raw.id, "id") };
    case "failed":
      return { type: "failed", id: toIdString(raw.id, "id"), reason: String(raw.reason ?? "") };
    case "message": {
      const message = raw.message as Record<string, unknown> | undefined;
      if (!message || typeof message !== "object") throw new PlatformMessageError("TMC frame: message is missing");
      return {
        type: "message",
        message: {
          id: toIdString(message.id, "message.id"),
          topic: str(message.topic, "message.topic"),
          content: str(message.content, "message.content"),
          time: String(message.time ?? ""),
          publisher: String(message.publisher ?? ""),
          userid: String(message.userid ?? ""),
          nick: String(message.nick ?? ""),
          dataid: String(message.dataid ?? ""),
          outtime: String(message.outtime ?? ""),
          retried: Number(message.retried ?? 0),
        },
      };
    }
    default:
      throw new PlatformMessageError(`TMC frame: unknown type ${JSON.stringify(raw.type)}`);
  }
}

/** TMC refuses a CONNECT whose timestamp is far from its clock; ⚑ 10 minutes, as TOP does for its API timestamp. */
export const tmcConnectSkewMs = 10 * 60_000;

/** Reconnect delay after `attempt` failures: 1 s doubling to 60 s, with up to 50% jitter so many desks do not reconnect in step. */
export function getTmcReconnectDelayMs(attempt: number, random: number, limits = { initialMs: 1_000, maxMs: 60_000 }): number {
  const base = Math.min(limits.maxMs, limits.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + random * 0.5));
}
