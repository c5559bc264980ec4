import { gunzipSync } from "node:zlib";
import { PlatformMessageError } from "@/lib/platforms/common";
import { decodeTmcPacket, encodeTmcPacket, tmcKind, tmcMessageType, type TmcMessageType, type TmcPacket, type TmcValue } from "@/lib/platforms/tmc-packets";

// TMC frames over WebSocket (docs/platforms/tmc.md): what a top-link packet (lib/platforms/tmc-packets.ts) means to
// TMC: CONNECT, CONNECTACK, pull, data, confirm, failed. Decoding takes untrusted bytes: it throws nothing but
// PlatformMessageError and never reads past the end of the buffer.

/** Largest text a gzipped `content` may unpack to (a refund message is well under 4 KB). */
const maxContentBytes = 4 * 1024 * 1024;

/** A message as TMC delivers it in a data frame (the SDKs' header names); ids as exact decimal text. */
export type TmcFrameMessage = {
  id: string;
  topic: string;
  /** The topic's JSON text (sent as text, or as gzipped bytes). */
  content: string;
  /** Publish time: an ISO instant when sent as a date value, else the text as sent ("" when absent). */
  time: string;
  /** The publishing app key ("" when absent). */
  publisher: string;
  userid: string;
  /** The seller's nick: which shop the message is about. */
  nick: string;
  dataid: string;
  /** When TMC sent it out (the Java SDK measures handling time from it); as `time`. */
  outtime: string;
  /** How many times TMC has delivered it before (0 when absent). */
  retried: number;
};

export type TmcFrame =
  /** Client → TMC: the signed hello. The SDKs send the timestamp (ms) as text. */
  | { type: "connect"; appKey: string; groupName: string; timestamp: number; sign: string; sdk?: string }
  /** TMC → client: CONNECTACK without a status; the token goes on every later packet. */
  | { type: "connected"; token: string }
  /** TMC → client: CONNECTACK with a status: the CONNECT was refused. */
  | { type: "refused"; code: number; reason: string }
  | { type: "pull"; token?: string }
  | { type: "message"; token?: string; message: TmcFrameMessage }
  | { type: "confirm"; token?: string; id: string }
  /** Client → TMC: could not handle it, deliver again later (`msg` carries the reason). */
  | { type: "failed"; token?: string; id: string; reason: string }
  /** A SEND/SENDACK carrying a status: TMC complaining about something we sent. */
  | { type: "error"; code: number; reason: string }
  /** Well formed but nothing to act on (an acknowledgement, an unknown kind). */
  | { type: "other"; messageType: TmcMessageType; kind: number | null };

const text = (value: string): TmcValue => ({ format: "string", value });
const int64 = (value: string | bigint): TmcValue => ({ format: "int64", value: BigInt(value) });
const kindHeader = (kind: number): [string, TmcValue] => ["__kind", { format: "byte", value: kind }];
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;
const decimal = /^-?\d{1,19}$/;

/** A time field back to the wire: an ISO instant as a date value, other text as text, "" left out. */
function timeHeader(name: string, value: string): [string, TmcValue][] {
  if (!value) return [];
  return [[name, isoInstant.test(value) ? { format: "date", value: BigInt(Date.parse(value)) } : text(value)]];
}

/** An id back to the wire: decimal text that fits as int64 (as TMC sends ids), other text as text. */
const idValue = (value: string): TmcValue => (decimal.test(value) && BigInt.asIntN(64, BigInt(value)) === BigInt(value) ? int64(value) : text(value));
const idHeader = (name: string, value: string): [string, TmcValue][] => (value ? [[name, idValue(value)]] : []);

function withToken(token: string | undefined) {
  return token === undefined ? {} : { token };
}

export function encodeTmcFrame(frame: TmcFrame): Buffer {
  return encodeTmcPacket(toPacket(frame));
}

function toPacket(frame: TmcFrame): TmcPacket {
  const send = tmcMessageType.send;
  switch (frame.type) {
    case "connect":
      return {
        messageType: tmcMessageType.connect,
        headers: [
          ["app_key", text(frame.appKey)],
          ["group_name", text(frame.groupName)],
          ["timestamp", text(String(frame.timestamp))],
          ["sign", text(frame.sign)],
          ...(frame.sdk === undefined ? [] : [["sdk", text(frame.sdk)] as [string, TmcValue]]),
        ],
      };
    case "connected":
      return { messageType: tmcMessageType.connectAck, token: frame.token, headers: [] };
    case "refused":
      return { messageType: tmcMessageType.connectAck, statusCode: frame.code, statusPhrase: frame.reason, headers: [] };
    case "pull":
      return { messageType: send, ...withToken(frame.token), headers: [kindHeader(tmcKind.pull)] };
    case "confirm":
      return { messageType: send, ...withToken(frame.token), headers: [kindHeader(tmcKind.confirm), ["id", idValue(frame.id)]] };
    case "failed":
      return { messageType: send, ...withToken(frame.token), headers: [kindHeader(tmcKind.failed), ["id", idValue(frame.id)], ["msg", text(frame.reason)]] };
    case "message": {
      const { message } = frame;
      return {
        messageType: send,
        ...withToken(frame.token),
        headers: [
          kindHeader(tmcKind.data),
          ["id", idValue(message.id)],
          ["topic", text(message.topic)],
          ["content", text(message.content)],
          ...timeHeader("time", message.time),
          ...(message.publisher ? [["publisher", text(message.publisher)] as [string, TmcValue]] : []),
          ...idHeader("userid", message.userid),
          ...(message.nick ? [["nick", text(message.nick)] as [string, TmcValue]] : []),
          ...idHeader("dataid", message.dataid),
          ...timeHeader("outtime", message.outtime),
          ["retried", { format: "int32", value: message.retried }],
        ],
      };
    }
    case "error":
      return { messageType: send, statusCode: frame.code, statusPhrase: frame.reason, headers: [] };
    case "other":
      return { messageType: frame.messageType, headers: frame.kind === null ? [] : [kindHeader(frame.kind)] };
  }
}

/** The last value of a header (a repeated name overrides, as in the SDKs' maps). */
function lookup(packet: TmcPacket, name: string): TmcValue | undefined {
  for (let index = packet.headers.length - 1; index >= 0; index--) if (packet.headers[index][0] === name) return packet.headers[index][1];
  return undefined;
}

function integerOf(value: TmcValue | undefined): bigint | null {
  if (!value) return null;
  if (value.format === "byte" || value.format === "int16" || value.format === "int32") return BigInt(value.value);
  if (value.format === "int64") return value.value;
  return null;
}

function requiredText(packet: TmcPacket, name: string): string {
  const value = lookup(packet, name);
  if (value?.format !== "string") throw new PlatformMessageError(`TMC frame: ${name} is missing or not text`);
  return value.value;
}

function optionalText(packet: TmcPacket, name: string): string {
  const value = lookup(packet, name);
  if (!value || value.format === "void") return "";
  if (value.format === "string") return value.value;
  const integer = integerOf(value);
  if (integer !== null) return integer.toString();
  throw new PlatformMessageError(`TMC frame: ${name} is a ${value.format}, not text`);
}

/** An id: a non-negative integer of any width, or decimal text; always exact decimal text out. */
function idOf(packet: TmcPacket, name: string): string {
  const value = lookup(packet, name);
  const integer = integerOf(value);
  if (integer !== null && integer >= BigInt(0)) return integer.toString();
  if (value?.format === "string" && /^\d{1,19}$/.test(value.value)) return BigInt(value.value).toString();
  throw new PlatformMessageError(`TMC frame: ${name} is not an id`);
}

function timeOf(packet: TmcPacket, name: string): string {
  const value = lookup(packet, name);
  if (value?.format !== "date") return optionalText(packet, name);
  const ms = Number(value.value);
  // new Date() accepts ±8.64e15 ms; anything else is not a time
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15) throw new PlatformMessageError(`TMC frame: ${name} is out of range`);
  return new Date(ms).toISOString();
}

function contentOf(packet: TmcPacket): string {
  const value = lookup(packet, "content");
  if (value?.format === "string") return value.value;
  if (value?.format !== "bytes") throw new PlatformMessageError("TMC frame: content is missing");
  // Bytes are gzipped text (the Java SDK unzips them)
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(gunzipSync(value.value, { maxOutputLength: maxContentBytes }));
  } catch {
    throw new PlatformMessageError("TMC frame: content bytes are not gzipped UTF-8 text");
  }
}

function retriedOf(packet: TmcPacket): number {
  const value = lookup(packet, "retried");
  if (!value || value.format === "void") return 0;
  const integer = integerOf(value) ?? (value.format === "string" && /^\d{1,9}$/.test(value.value) ? BigInt(value.value) : null);
  if (integer === null || integer < BigInt(0) || integer > BigInt(Number.MAX_SAFE_INTEGER)) throw new PlatformMessageError("TMC frame: retried is not a count");
  return Number(integer);
}

function timestampOf(packet: TmcPacket): number {
  const value = lookup(packet, "timestamp");
  const integer = integerOf(value) ?? (value?.format === "string" && /^\d{1,16}$/.test(value.value) ? BigInt(value.value) : null);
  if (integer === null || integer < BigInt(0) || integer > BigInt(Number.MAX_SAFE_INTEGER)) throw new PlatformMessageError("TMC frame: timestamp is not milliseconds");
  return Number(integer);
}

function hasStatus(packet: TmcPacket): boolean {
  return (packet.statusCode ?? 0) > 0 || Boolean(packet.statusPhrase);
}

/** Bytes → frame. */
export function decodeTmcFrame(bytes: Uint8Array): TmcFrame {
  const packet = decodeTmcPacket(bytes);
  const token = withToken(packet.token);
  switch (packet.messageType) {
    case tmcMessageType.connect: {
      const sdk = lookup(packet, "sdk");
      return {
        type: "connect",
        appKey: requiredText(packet, "app_key"),
        groupName: requiredText(packet, "group_name"),
        timestamp: timestampOf(packet),
        sign: requiredText(packet, "sign"),
        ...(sdk?.format === "string" ? { sdk: sdk.value } : {}),
      };
    }
    case tmcMessageType.connectAck:
      if (hasStatus(packet)) return { type: "refused", code: packet.statusCode ?? 0, reason: packet.statusPhrase ?? "" };
      if (!packet.token) throw new PlatformMessageError("TMC frame: CONNECTACK carries neither a token nor a status");
      return { type: "connected", token: packet.token };
  }
  if (hasStatus(packet)) return { type: "error", code: packet.statusCode ?? 0, reason: packet.statusPhrase ?? "" };
  const kindValue = integerOf(lookup(packet, "__kind"));
  const kind = kindValue === null ? null : Number(kindValue);
  if (kind === tmcKind.pull) return { type: "pull", ...token };
  if (kind === tmcKind.confirm) return { type: "confirm", ...token, id: idOf(packet, "id") };
  if (kind === tmcKind.failed) return { type: "failed", ...token, id: idOf(packet, "id"), reason: optionalText(packet, "msg") };
  // Data frames: kind 3, or no kind at all on a packet that names a topic
  if (kind === tmcKind.data || (kind === null && lookup(packet, "topic"))) {
    const topic = requiredText(packet, "topic");
    if (!topic) throw new PlatformMessageError("TMC frame: topic is empty");
    return {
      type: "message",
      ...token,
      message: {
        id: idOf(packet, "id"),
        topic,
        content: contentOf(packet),
        time: timeOf(packet, "time"),
        publisher: optionalText(packet, "publisher"),
        userid: optionalText(packet, "userid"),
        nick: optionalText(packet, "nick"),
        dataid: optionalText(packet, "dataid"),
        outtime: timeOf(packet, "outtime"),
        retried: retriedOf(packet),
      },
    };
  }
  return { type: "other", messageType: packet.messageType, kind };
}

/** Reconnect delay after `attempt` failures: 1 s doubling to 60 s, with up to 50% jitter so many desks do not reconnect in step. */
export function getTmcReconnectDelayMs(attempt: number, random: number, limits = { initialMs: 1_000, maxMs: 60_000 }): number {
  const base = Math.min(limits.maxMs, limits.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + random * 0.5));
}
