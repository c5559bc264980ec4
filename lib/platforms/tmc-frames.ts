import { gunzipSync } from "node:zlib";
import { PlatformMessageError } from "@/lib/platforms/common";

// TMC over WebSocket: every WebSocket message is ONE binary frame of the top-link protocol, version 2
// (docs/platforms/tmc.md has the byte layout and the public sources it was read from). Two layers here:
// packets (message type, status, flag, token and typed custom headers, byte for byte) and frames (what a
// packet means to TMC: CONNECT, CONNECTACK, pull, data, confirm, failed). Decoding takes untrusted bytes:
// it throws nothing but PlatformMessageError and never reads past the end of the buffer.

export const tmcProtocolVersion = 2;

/** The packet's message type byte. */
export const tmcMessageType = { connect: 0, connectAck: 1, send: 2, sendAck: 3 } as const;
export type TmcMessageType = (typeof tmcMessageType)[keyof typeof tmcMessageType];

/** Header tags (int16): 0 ends the headers. */
const headerTag = { end: 0, custom: 1, statusCode: 2, statusPhrase: 3, flag: 4, token: 5 } as const;

/** Value format bytes of a custom header. */
const valueFormat = { void: 0, string: 1, byte: 2, int16: 3, int32: 4, int64: 5, date: 6, bytes: 7 } as const;
type ValueFormatName = keyof typeof valueFormat;
const formatNames = Object.fromEntries(Object.entries(valueFormat).map(([name, code]) => [code, name])) as Record<number, ValueFormatName>;

/** The `__kind` custom header of a SEND: what the packet asks for. */
export const tmcKind = { none: 0, pull: 1, confirm: 2, data: 3, failed: 20 } as const;

/** A typed custom header value; int64 and date (ms since the epoch) stay bigint so 19-digit ids are exact. */
export type TmcValue =
  | { format: "void" }
  | { format: "string"; value: string }
  | { format: "byte" | "int16" | "int32"; value: number }
  | { format: "int64" | "date"; value: bigint }
  | { format: "bytes"; value: Uint8Array };

/** One packet as it is on the wire; custom headers in wire order. */
export type TmcPacket = {
  messageType: TmcMessageType;
  statusCode?: number;
  statusPhrase?: string;
  flag?: number;
  token?: string;
  headers: [name: string, value: TmcValue][];
};

/** Largest text a gzipped `content` may unpack to (a refund message is well under 4 KB). */
const maxContentBytes = 4 * 1024 * 1024;

class Reader {
  private offset = 0;
  private readonly view: DataView;
  private static readonly utf8 = new TextDecoder("utf-8", { fatal: true });

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Claims `size` bytes or refuses: nothing is ever read past the end. */
  private take(size: number, what: string): number {
    if (size > this.bytes.length - this.offset) throw new PlatformMessageError(`TMC frame ends inside ${what}`);
    const at = this.offset;
    this.offset += size;
    return at;
  }

  int8 = (what: string) => this.view.getInt8(this.take(1, what));
  int16 = (what: string) => this.view.getInt16(this.take(2, what), true);
  int32 = (what: string) => this.view.getInt32(this.take(4, what), true);
  int64 = (what: string) => this.view.getBigInt64(this.take(8, what), true);

  /** int32 length, then that many bytes. */
  counted(what: string): Uint8Array {
    const size = this.int32(`${what} length`);
    if (size < 0) throw new PlatformMessageError(`TMC frame: ${what} has a negative length`);
    const at = this.take(size, what);
    return this.bytes.subarray(at, at + size);
  }

  text(what: string): string {
    const bytes = this.counted(what);
    try {
      return Reader.utf8.decode(bytes);
    } catch {
      throw new PlatformMessageError(`TMC frame: ${what} is not UTF-8`);
    }
  }
}

function readValue(reader: Reader, name: string): TmcValue {
  const code = reader.int8(`${name}'s format`);
  const format = formatNames[code];
  switch (format) {
    case "void":
      return { format };
    case "string":
      return { format, value: reader.text(name) };
    case "byte":
      return { format, value: reader.int8(name) };
    case "int16":
      return { format, value: reader.int16(name) };
    case "int32":
      return { format, value: reader.int32(name) };
    case "int64":
    case "date":
      return { format, value: reader.int64(name) };
    case "bytes":
      return { format, value: reader.counted(name) };
    default:
      throw new PlatformMessageError(`TMC frame: ${name} has unknown value format ${code}`);
  }
}

/** Bytes → packet. Bytes after the end-of-headers tag are ignored, as the SDKs' decoders do. */
export function decodeTmcPacket(bytes: Uint8Array): TmcPacket {
  if (!(bytes instanceof Uint8Array)) throw new PlatformMessageError("TMC frame is not binary");
  const reader = new Reader(bytes);
  const version = reader.int8("the protocol version");
  if (version !== tmcProtocolVersion) throw new PlatformMessageError(`TMC frame: protocol version ${version} is not ${tmcProtocolVersion}`);
  const messageType = reader.int8("the message type");
  if (!Object.values(tmcMessageType).includes(messageType as TmcMessageType)) throw new PlatformMessageError(`TMC frame: unknown message type ${messageType}`);
  const packet: TmcPacket = { messageType: messageType as TmcMessageType, headers: [] };
  for (;;) {
    const tag = reader.int16("a header tag");
    if (tag === headerTag.end) return packet;
    if (tag === headerTag.custom) {
      const name = reader.text("a header name");
      packet.headers.push([name, readValue(reader, name || "a header")]);
    } else if (tag === headerTag.statusCode) packet.statusCode = reader.int32("the status code");
    else if (tag === headerTag.statusPhrase) packet.statusPhrase = reader.text("the status phrase");
    else if (tag === headerTag.flag) packet.flag = reader.int32("the flag");
    else if (tag === headerTag.token) packet.token = reader.text("the token");
    // An unknown tag has no known length, so nothing after it can be read
    else throw new PlatformMessageError(`TMC frame: unknown header tag ${tag}`);
  }
}

class Writer {
  private readonly chunks: Buffer[] = [];

  int8(value: number) {
    const chunk = Buffer.alloc(1);
    chunk.writeInt8(value);
    this.chunks.push(chunk);
  }
  int16(value: number) {
    const chunk = Buffer.alloc(2);
    chunk.writeInt16LE(value);
    this.chunks.push(chunk);
  }
  int32(value: number) {
    const chunk = Buffer.alloc(4);
    chunk.writeInt32LE(value);
    this.chunks.push(chunk);
  }
  int64(value: bigint) {
    const chunk = Buffer.alloc(8);
    chunk.writeBigInt64LE(value);
    this.chunks.push(chunk);
  }
  counted(bytes: Uint8Array) {
    this.int32(bytes.length);
    this.chunks.push(Buffer.from(bytes));
  }
  text(value: string) {
    this.counted(Buffer.from(value, "utf8"));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Packet → bytes (headers in the SDKs' order: status code, phrase, flag, token, custom headers, end). */
export function encodeTmcPacket(packet: TmcPacket): Buffer {
  const writer = new Writer();
  writer.int8(tmcProtocolVersion);
  writer.int8(packet.messageType);
  if (packet.statusCode !== undefined) {
    writer.int16(headerTag.statusCode);
    writer.int32(packet.statusCode);
  }
  if (packet.statusPhrase !== undefined) {
    writer.int16(headerTag.statusPhrase);
    writer.text(packet.statusPhrase);
  }
  if (packet.flag !== undefined) {
    writer.int16(headerTag.flag);
    writer.int32(packet.flag);
  }
  if (packet.token !== undefined) {
    writer.int16(headerTag.token);
    writer.text(packet.token);
  }
  for (const [name, value] of packet.headers) {
    writer.int16(headerTag.custom);
    writer.text(name);
    writer.int8(valueFormat[value.format]);
    if (value.format === "string") writer.text(value.value);
    else if (value.format === "byte") writer.int8(value.value);
    else if (value.format === "int16") writer.int16(value.value);
    else if (value.format === "int32") writer.int32(value.value);
    else if (value.format === "int64" || value.format === "date") writer.int64(value.value);
    else if (value.format === "bytes") writer.counted(value.value);
  }
  writer.int16(headerTag.end);
  return writer.toBuffer();
}

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
