import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { signTmcConnect } from "@/lib/platforms/taobao";
import { decodeTmcFrame, encodeTmcFrame, tmcConnectSkewMs, type TmcFrame } from "@/lib/platforms/tmc-frames";
import type { FakeTaobao } from "./taobao";

// A fake TMC WebSocket server (issue 11) over FakeTaobao's queue: it checks the CONNECT sign and timestamp, hands
// out queued messages on each pull, forgets a message only when confirmed, and redelivers one that was reported
// failed or whose connection closed before confirming (with `retried` counted), as TMC does. JSON text frames
// (lib/platforms/tmc-frames.ts), not the real binary codec.

/** inFlight: message id → when it was sent (wall clock), for the confirm timeout. */
type Client = { socket: WebSocket; group: string | null; inFlight: Map<string, number> };

export class FakeTmcServer {
  readonly log: { type: "connect" | "refused" | "delivered" | "confirmed" | "failed"; id?: string; detail?: string }[] = [];
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

  get connectedCount(): number {
    return [...this.clients].filter((client) => client.group !== null).length;
  }

  private accept(socket: WebSocket) {
    const client: Client = { socket, group: null, inFlight: new Map() };
    this.clients.add(client);
    const send = (frame: TmcFrame) => socket.send(encodeTmcFrame(frame));
    socket.on("message", (data) => {
      let frame: TmcFrame;
      try {
        frame = decodeTmcFrame(String(data));
      } catch {
        socket.close(1003, "bad frame");
        return;
      }
      if (client.group === null) {
        const refusal = frame.type !== "connect" ? "CONNECT first" : this.checkConnect(frame);
        if (refusal) {
          this.log.push({ type: "refused", detail: refusal });
          send({ type: "refused", reason: refusal });
          socket.close(1008, "refused");
          return;
        }
        client.group = (frame as Extract<TmcFrame, { type: "connect" }>).groupName;
        this.log.push({ type: "connect" });
        send({ type: "connected" });
        return;
      }
      if (frame.type === "pull") this.deliver(client, send);
      else if (frame.type === "confirm") {
        if (this.loseConfirms > 0) {
          this.loseConfirms--;
          return;
        }
        client.inFlight.delete(frame.id);
        const index = this.top.queue.findIndex((message) => message.id === frame.id);
        if (index >= 0) this.top.queue.splice(index, 1);
        this.log.push({ type: "confirmed", id: frame.id });
      } else if (frame.type === "failed") {
        client.inFlight.delete(frame.id);
        this.countRetry(frame.id);
        this.log.push({ type: "failed", id: frame.id, detail: frame.reason });
      }
    });
    // Unconfirmed messages go back to the queue's deliverable set with the connection
    socket.on("close", () => {
      for (const id of client.inFlight.keys()) this.countRetry(id);
      this.clients.delete(client);
    });
  }

  private checkConnect(frame: Extract<TmcFrame, { type: "connect" }>): string | null {
    const { appKey, appSecret } = this.top.app;
    if (frame.appKey !== appKey) return "app_key 不存在";
    if (Math.abs((this.options.now?.() ?? new Date()).getTime() - frame.timestamp) > tmcConnectSkewMs) return "timestamp 超出允许范围";
    if (frame.sign !== signTmcConnect(appKey, appSecret, frame.groupName, frame.timestamp)) return "sign 错误";
    return null;
  }

  private countRetry(id: string) {
    this.retried.set(id, (this.retried.get(id) ?? 0) + 1);
  }

  /** Every queued message not in flight, or in flight longer than the confirm timeout (then redelivered). */
  private deliver(client: Client, send: (frame: TmcFrame) => void) {
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
      send({
        type: "message",
        message: {
          id: message.id,
          topic: message.topic,
          content: message.content,
          time: message.pubTime,
          publisher: "4272",
          userid: "2200000000001",
          nick: this.top.app.sellerNick,
          dataid: /"refund_id":(\d+)/.exec(message.content)?.[1] ?? "",
          outtime: "2026-12-20 00:00:00",
          retried: this.retried.get(message.id) ?? 0,
        },
      });
    }
  }
}
