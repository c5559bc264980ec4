import { createHash, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { FakeTaobao } from "./taobao";

// A fake TMC WebSocket server (docs/platforms/tmc.md) over FakeTaobao's queue. It speaks ONLY TMC's binary frames, with its
// own small codec written from the protocol description (docs/platforms/tmc.md: TheNorthMemory/tmc.js
// lib/message.js and the Java SDK's MessageEncoder02/MessageDecoder02), never the desk's: a text frame closes the
// connection. It checks the CONNECT sign and timestamp, answers CONNECTACK with a token that every later frame
// must carry, hands out queued messages on each pull, forgets a message only when confirmed, and redelivers one
// that was reported failed or whose connection closed before confirming (with `retried` counted), as TMC does.

// ---- the fake's own codec: version 2, little-endian; a header is an int16 tag, 0 ends them ----

type Value = null | number | bigint | string | Date | Buffer;
type Frame = { type: number; code?: number; phrase?: string; flag?: number; token?: string; fields: Map<string, Value> };

const CONNECT = 0;
const CONNECTACK = 1;
const SEND = 2;
const SENDACK = 3;
const KIND = { pull: 1, confirm: 2, data: 3, failed: 20 };

class Truncated extends Error {}

/** Reads one frame; throws on anything that is not a well-formed version-2 frame. */
function readFrame(buffer: Buffer): Frame {
  let at = 0;
  const need = (size: number) => {
    if (at + size > buffer.length) throw new Truncated(`frame ends at ${buffer.length}, needed ${at + size}`);
    const start = at;
    at += size;
    return start;
  };
  const blob = () => {
    const size = buffer.readInt32LE(need(4));
    if (size < 0) throw new Error("negative length");
    const start = need(size);
    return buffer.subarray(start, start + size);
  };
  const text = () => blob().toString("utf8");
  if (buffer.readUInt8(need(1)) !== 2) throw new Error("not protocol version 2");
  const frame: Frame = { type: buffer.readUInt8(need(1)), fields: new Map() };
  for (let tag = buffer.readInt16LE(need(2)); tag !== 0; tag = buffer.readInt16LE(need(2))) {
    if (tag === 1) {
      const name = text();
      const format = buffer.readUInt8(need(1));
      let value: Value;
      switch (format) {
        case 0:
          value = null;
          break;
        case 1:
          value = text();
          break;
        case 2:
          value = buffer.readInt8(need(1));
          break;
        case 3:
          value = buffer.readInt16LE(need(2));
          break;
        case 4:
          value = buffer.readInt32LE(need(4));
          break;
        case 5:
          value = buffer.readBigInt64LE(need(8));
          break;
        case 6:
          value = new Date(Number(buffer.readBigInt64LE(need(8))));
          break;
        case 7:
          value = Buffer.from(blob());
          break;
        default:
          throw new Error(`value format ${format}`);
      }
      frame.fields.set(name, value);
    } else if (tag === 2) frame.code = buffer.readInt32LE(need(4));
    else if (tag === 3) frame.phrase = text();
    else if (tag === 4) frame.flag = buffer.readInt32LE(need(4));
    else if (tag === 5) frame.token = text();
    else throw new Error(`header tag ${tag}`);
  }
  return frame;
}

/** Writes one frame; a field's JS type picks its value format (__kind → byte, number → int32, bigint → int64). */
function writeFrame(frame: Frame): Buffer {
  const parts: Buffer[] = [Buffer.from([2, frame.type])];
  const tag = (value: number) => {
    const part = Buffer.alloc(2);
    part.writeInt16LE(value);
    parts.push(part);
  };
  const int32 = (value: number) => {
    const part = Buffer.alloc(4);
    part.writeInt32LE(value);
    parts.push(part);
  };
  const int64 = (value: bigint) => {
    const part = Buffer.alloc(8);
    part.writeBigInt64LE(value);
    parts.push(part);
  };
  const text = (value: string) => {
    const bytes = Buffer.from(value, "utf8");
    int32(bytes.length);
    parts.push(bytes);
  };
  const format = (code: number) => parts.push(Buffer.from([code]));
  if (frame.code !== undefined) {
    tag(2);
    int32(frame.code);
  }
  if (frame.phrase !== undefined) {
    tag(3);
    text(frame.phrase);
  }
  if (frame.flag !== undefined) {
    tag(4);
    int32(frame.flag);
  }
  if (frame.token !== undefined) {
    tag(5);
    text(frame.token);
  }
  for (const [name, value] of frame.fields) {
    tag(1);
    text(name);
    if (value === null) format(0);
    else if (typeof value === "string") {
      format(1);
      text(value);
    } else if (typeof value === "number" && name === "__kind") {
      format(2);
      parts.push(Buffer.from([value]));
    } else if (typeof value === "number") {
      format(4);
      int32(value);
    } else if (typeof value === "bigint") {
      format(5);
      int64(value);
    } else if (value instanceof Date) {
      format(6);
      int64(BigInt(value.getTime()));
    } else {
      format(7);
      int32(value.length);
      parts.push(value);
    }
  }
  tag(0);
  return Buffer.concat(parts);
}

/** An integer field (any width) or digit text, as decimal text; null when it is neither. */
function integerText(value: Value | undefined): string | null {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return typeof value === "string" && /^\d+$/.test(value) ? value : null;
}

/** "yyyy-MM-dd HH:mm:ss" China time (UTC+8, no daylight saving) → the instant. */
function fromChinaTime(text: string): Date {
  const [y, mo, d, h, mi, s] = text.split(/[- :]/).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 8, mi, s));
}

/** TMC's CONNECT sign, as the Java SDK computes it: the TOP md5 sign over the three signed headers. */
export function tmcConnectSign(params: Record<string, string>, secret: string): string {
  const joined = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], "");
  return createHash("md5")
    .update(secret + joined + secret, "utf8")
    .digest("hex")
    .toUpperCase();
}

/** How far a CONNECT timestamp may be from the fake's clock (TMC's own limit is not published). */
const connectSkewMs = 10 * 60_000;

// ---- the server ----

/** inFlight: message id → when it was sent (wall clock), for the confirm timeout. */
type Client = { socket: WebSocket; token: string | null; inFlight: Map<string, number> };

export type FakeTmcLogEntry = { type: "connect" | "refused" | "rejected" | "delivered" | "confirmed" | "failed"; id?: string; detail?: string };

export class FakeTmcServer {
  readonly log: FakeTmcLogEntry[] = [];
  private readonly clients = new Set<Client>();
  private readonly retried = new Map<string, number>();
  private server: WebSocketServer | undefined;

  /** Confirms to drop as if lost on the way (the message stays in flight until the confirm timeout). */
  loseConfirms = 0;

  constructor(
    private readonly top: FakeTaobao,
    private readonly options: { now?: () => Date; confirmTimeoutMs?: number } = {},
  ) {}

  async listen(port = 0): Promise<{ url: string }> {
    const server = new WebSocketServer({ port, host: "127.0.0.1" });
    this.server = server;
    await new Promise<void>((resolve) => server.once("listening", resolve));
    server.on("connection", (socket) => this.accept(socket));
    return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.socket.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Cuts every connection without a goodbye, as a network drop does. */
  dropConnections(): void {
    for (const client of this.clients) client.socket.terminate();
  }

  /** Stops reading every connection (no frames, no pongs) while keeping it open, as a dead link does. */
  stallConnections(): void {
    for (const client of this.clients) client.socket.pause();
  }

  get connectedCount(): number {
    return [...this.clients].filter((client) => client.token !== null).length;
  }

  private accept(socket: WebSocket) {
    const client: Client = { socket, token: null, inFlight: new Map() };
    this.clients.add(client);
    socket.on("message", (data, isBinary) => this.receive(client, data, isBinary));
    // Unconfirmed messages go back to the queue's deliverable set with the connection
    socket.on("close", () => {
      for (const id of client.inFlight.keys()) this.countRetry(id);
      this.clients.delete(client);
    });
  }

  private receive(client: Client, data: RawData, isBinary: boolean) {
    const { socket } = client;
    if (!isBinary) {
      this.log.push({ type: "rejected", detail: "text frame" });
      socket.close(1003, "TMC frames are binary");
      return;
    }
    let frame: Frame;
    try {
      frame = readFrame(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
    } catch (error) {
      this.log.push({ type: "rejected", detail: `bad frame: ${(error as Error).message}` });
      socket.close(1002, "bad frame");
      return;
    }
    const send = (reply: Frame) => socket.send(writeFrame(reply), { binary: true });
    if (client.token === null) {
      const refusal = frame.type !== CONNECT ? "CONNECT first" : this.checkConnect(frame);
      if (refusal) {
        this.log.push({ type: "refused", detail: refusal });
        send({ type: CONNECTACK, code: 401, phrase: refusal, flag: frame.flag, fields: new Map() });
        socket.close(1008, "refused");
        return;
      }
      client.token = randomUUID();
      this.log.push({ type: "connect", detail: String(frame.fields.get("group_name")) });
      send({ type: CONNECTACK, flag: frame.flag, token: client.token, fields: new Map() });
      return;
    }
    if ((frame.type !== SEND && frame.type !== SENDACK) || frame.token !== client.token) {
      this.log.push({ type: "rejected", detail: `type ${frame.type} with token ${frame.token ?? "none"}` });
      send({ type: SEND, code: 403, phrase: "token 无效", token: client.token, fields: new Map() });
      return;
    }
    const kind = frame.fields.get("__kind");
    const id = integerText(frame.fields.get("id"));
    if (kind === KIND.pull) this.deliver(client, send);
    else if (kind === KIND.confirm && id !== null) {
      if (this.loseConfirms > 0) {
        this.loseConfirms--;
        return;
      }
      client.inFlight.delete(id);
      const index = this.top.queue.findIndex((message) => message.id === id);
      if (index >= 0) this.top.queue.splice(index, 1);
      this.log.push({ type: "confirmed", id });
    } else if (kind === KIND.failed && id !== null) {
      client.inFlight.delete(id);
      this.countRetry(id);
      this.log.push({ type: "failed", id, detail: String(frame.fields.get("msg") ?? "") });
    } else this.log.push({ type: "rejected", detail: `kind ${String(kind)}` });
  }

  private checkConnect(frame: Frame): string | null {
    const { appKey, appSecret } = this.top.app;
    const [key, group, timestamp, sign] = ["app_key", "group_name", "timestamp", "sign"].map((name) => frame.fields.get(name));
    if (typeof key !== "string" || typeof group !== "string" || typeof sign !== "string") return "缺少参数";
    const ms = integerText(timestamp);
    if (ms === null) return "timestamp 格式错误";
    if (key !== appKey) return "app_key 不存在";
    if (Math.abs((this.options.now?.() ?? new Date()).getTime() - Number(ms)) > connectSkewMs) return "timestamp 超出允许范围";
    if (sign !== tmcConnectSign({ app_key: key, group_name: group, timestamp: ms }, appSecret)) return "sign 错误";
    return null;
  }

  private countRetry(id: string) {
    this.retried.set(id, (this.retried.get(id) ?? 0) + 1);
  }

  /** Every queued message not in flight, or in flight longer than the confirm timeout (then redelivered). */
  private deliver(client: Client, send: (frame: Frame) => void) {
    const sentAt = Date.now();
    for (const message of this.top.queue) {
      const holder = [...this.clients].find((other) => other.inFlight.has(message.id));
      if (holder && sentAt - holder.inFlight.get(message.id)! < (this.options.confirmTimeoutMs ?? 60_000)) continue;
      if (holder) {
        holder.inFlight.delete(message.id);
        this.countRetry(message.id);
      }
      client.inFlight.set(message.id, sentAt);
      this.log.push({ type: "delivered", id: message.id });
      const refundId = /"refund_id":(\d+)/.exec(message.content)?.[1];
      const fields = new Map<string, Value>([
        ["__kind", KIND.data],
        ["id", BigInt(message.id)],
        ["topic", message.topic],
        ["content", message.content],
        ["time", fromChinaTime(message.pubTime)],
        ["publisher", "4272"],
        ["userid", BigInt("2200000000001")],
        ["nick", this.top.app.sellerNick],
        ...(refundId ? [["dataid", BigInt(refundId)] as [string, Value]] : []),
        ["outtime", new Date(sentAt)],
        ["retried", this.retried.get(message.id) ?? 0],
      ]);
      send({ type: SEND, token: client.token!, fields });
    }
  }
}
