import { PlatformMessageError } from "@/lib/platforms/common";

// TMC over WebSocket: every WebSocket message is ONE binary frame of the top-link protocol, version 2
// (docs/platforms/tmc.md has the byte layout and the public sources it was read from). This is the packet layer
// (message type, status, flag, token and typed custom headers, byte for byte); lib/platforms/tmc-frames.ts says what a
// packet means to TMC. Decoding takes untrusted bytes: it throws nothing but PlatformMessageError and never reads
// past the end of the buffer.

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
