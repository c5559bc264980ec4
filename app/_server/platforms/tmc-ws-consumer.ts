import WebSocket from "ws";
import type { Db } from "@/db/client";
import { findPlatformApp, listConsumerApps } from "@/db/queries/platforms";
import { defaultOutboundDeps, openGuardedWebSocket, OutboundRefusedError, type OutboundDeps } from "@/app/_server/net/guarded-fetch";
import { defaultClientDeps, type ClientDeps } from "@/app/_server/platforms/client";
import { getTmcGroup, storeTmcMessage } from "@/app/_server/platforms/tmc-consumer";
import { PlatformMessageError } from "@/lib/platforms/common";
import { signTmcConnect } from "@/lib/platforms/taobao/top-api";
import { decodeTmcFrame, encodeTmcFrame, getTmcReconnectDelayMs, type TmcFrame, type TmcFrameMessage } from "@/lib/platforms/tmc-frames";

// The Taobao TMC consumer, WebSocket variant (docs/platforms/tmc.md): TMC's binary frames only (lib/platforms/tmc-frames.ts,
// docs/platforms/tmc.md). A signed CONNECT; the CONNECTACK's token goes on every later frame; a pull every 5 s;
// each message stored through the same storeTmcMessage as the HTTP variant and only then confirmed; a message
// that cannot be stored is reported failed so TMC redelivers it. A WebSocket ping every 45 s (as the Java SDK
// does) finds a dead link; a dropped or refused connection comes back with exponential backoff.

export const defaultTmcUrl = "ws://mc.api.taobao.com/";

/** Sent as CONNECT's `sdk` header, as the SDKs name themselves there. */
const tmcSdkName = "shouhoutai-tmc";
/** A refund message is a few KB; anything near this is not TMC. */
const maxFrameBytes = 8 * 1024 * 1024;

export type TmcConnectionOptions = {
  url: string;
  appKey: string;
  appSecret: string;
  groupName: string;
  pullIntervalMs?: number;
  /** Ping interval; a ping unanswered by the next one ends the connection. */
  heartbeatMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  random?: () => number;
  onStatus?: (status: TmcStatus) => void;
  /** The outbound guard's resolver and policy (docs/security.md "Outbound calls"); tests put a stand-in here. */
  outbound?: OutboundDeps;
};

export type TmcStatus =
  | { type: "connected" }
  | { type: "refused"; code: number; reason: string }
  /** The outbound guard refused the URL or an address it resolves to: no connection was made. */
  | { type: "blocked"; reason: string }
  | { type: "reconnecting"; attempt: number; delayMs: number }
  | { type: "stored" | "duplicate" | "ignored"; id: string }
  | { type: "failed"; id: string; reason: string };

/** The shop a message names (its seller nick), if its app is this connection's and consumes. */
async function findTarget(db: Db, appKey: string, message: TmcFrameMessage) {
  const found = message.nick ? await findPlatformApp(db, "taobao_tmc", message.nick) : null;
  return found && found.app.appKey === appKey && found.app.consumerEnabled ? found : null;
}

/** One TMC connection for one app key and group; it keeps reconnecting until stopped. */
export function connectTmc(getDb: () => Db, options: TmcConnectionOptions, deps: ClientDeps = defaultClientDeps): { stop: () => void } {
  const report = options.onStatus ?? (() => undefined);
  const random = options.random ?? Math.random;
  let socket: WebSocket | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let isStopped = false;
  // One message at a time, in arrival order: two messages about one refund must not fetch and store in parallel
  let processing = Promise.resolve();

  /** After a drop, a refusal or a blocked target: again after a backoff, until stopped. */
  const scheduleReconnect = () => {
    const delayMs = getTmcReconnectDelayMs(failures, random(), options.backoff);
    failures++;
    report({ type: "reconnecting", attempt: failures, delayMs });
    reconnectTimer = setTimeout(open, delayMs);
    reconnectTimer.unref();
  };

  // Through the outbound guard: the URL and every address its host resolves to are checked, the socket is pinned
  // to them, and no redirect is followed. A blocked target is retried like a drop: the owner may correct the URL.
  const open = () => {
    openGuardedWebSocket(options.url, { maxPayload: maxFrameBytes }, options.outbound ?? defaultOutboundDeps).then(
      (current) => {
        if (isStopped) return void current.terminate();
        attach(current);
      },
      (error: unknown) => {
        if (isStopped) return;
        // A refusal is its fixed sentence; a name that does not resolve is a network error like any other
        const reason = error instanceof OutboundRefusedError ? error.message : "连不上 TMC（网络错误）";
        if (error instanceof OutboundRefusedError) report({ type: "blocked", reason });
        console.error(`[tmc ws] ${options.appKey}: ${reason}`);
        scheduleReconnect();
      },
    );
  };

  const attach = (current: WebSocket) => {
    current.binaryType = "nodebuffer";
    socket = current;
    /** The CONNECTACK's token: set once connected, sent on every later frame of this connection. */
    let token: string | undefined;
    let pullTimer: NodeJS.Timeout | undefined;
    let isAlive = true;
    const heartbeatTimer = setInterval(() => {
      if (!isAlive) return void current.terminate();
      isAlive = false;
      if (current.readyState === WebSocket.OPEN) current.ping();
    }, options.heartbeatMs ?? 45_000);
    heartbeatTimer.unref();

    const send = (frame: TmcFrame) => {
      if (current.readyState === WebSocket.OPEN) current.send(encodeTmcFrame(frame), { binary: true });
    };

    const handleMessage = async (message: TmcFrameMessage) => {
      const db = getDb();
      try {
        const outcome = await storeTmcMessage(db, await findTarget(db, options.appKey, message), message, deps);
        // Durably stored (the ingest transaction has committed): only now may TMC forget it
        send({ type: "confirm", token, id: message.id });
        report({ type: outcome, id: message.id });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (!(error instanceof PlatformMessageError)) console.error("[tmc ws] message failed:", error);
        // The Java SDK sends at most 128 characters of reason
        send({ type: "failed", token, id: message.id, reason: reason.slice(0, 128) });
        report({ type: "failed", id: message.id, reason });
      }
    };

    current.on("open", () => {
      const timestamp = deps.now().getTime();
      send({ type: "connect", appKey: options.appKey, groupName: options.groupName, timestamp, sign: signTmcConnect(options.appKey, options.appSecret, options.groupName, timestamp), sdk: tmcSdkName });
    });
    current.on("pong", () => (isAlive = true));
    current.on("message", (data, isBinary) => {
      isAlive = true;
      if (!isBinary) {
        console.error("[tmc ws] text frame ignored: TMC speaks binary frames only");
        return;
      }
      let frame: TmcFrame;
      try {
        frame = decodeTmcFrame(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
      } catch (error) {
        console.error("[tmc ws] unreadable frame:", error instanceof Error ? error.message : error);
        // Before the CONNECTACK nothing else can come, so start over rather than wait forever
        if (token === undefined) current.close();
        return;
      }
      if (frame.type === "connected" && token === undefined) {
        token = frame.token;
        failures = 0;
        report({ type: "connected" });
        send({ type: "pull", token });
        pullTimer = setInterval(() => send({ type: "pull", token }), options.pullIntervalMs ?? 5_000);
        pullTimer.unref();
      } else if (frame.type === "refused") {
        report({ type: "refused", code: frame.code, reason: frame.reason });
        current.close();
      } else if (frame.type === "message" && token !== undefined) {
        const { message } = frame;
        processing = processing.then(() => handleMessage(message));
      } else if (frame.type === "error") {
        console.error(`[tmc ws] ${options.appKey}: TMC answered ${frame.code} ${frame.reason}`);
      }
    });
    current.on("error", (error) => console.error(`[tmc ws] ${options.url}:`, error.message));
    current.on("close", () => {
      clearInterval(pullTimer);
      clearInterval(heartbeatTimer);
      if (isStopped || socket !== current) return;
      scheduleReconnect();
    });
  };

  open();
  return {
    stop: () => {
      isStopped = true;
      clearTimeout(reconnectTimer);
      socket?.close();
    },
  };
}

const globalForConsumer = globalThis as unknown as { tmcWsConsumer?: { stop: () => void } };

/** One connection per (endpoint, app key, group) among the shops whose app consumes; the list is re-read every minute. */
export function startTmcWsConsumer(getDb: () => Db, deps: ClientDeps = defaultClientDeps, refreshMs = 60_000): { stop: () => void } {
  if (globalForConsumer.tmcWsConsumer) return globalForConsumer.tmcWsConsumer;
  const connections = new Map<string, { stop: () => void }>();
  const refresh = async () => {
    const wanted = new Map<string, Omit<TmcConnectionOptions, "onStatus">>();
    for (const { app } of await listConsumerApps(getDb(), "taobao_tmc")) {
      const options = { url: app.settings.tmcUrl ?? defaultTmcUrl, appKey: app.appKey, appSecret: app.appSecret, groupName: getTmcGroup(app) };
      wanted.set(JSON.stringify([options.url, options.appKey, options.appSecret, options.groupName]), options);
    }
    for (const [key, connection] of connections) {
      if (!wanted.has(key)) {
        connection.stop();
        connections.delete(key);
      }
    }
    for (const [key, options] of wanted) {
      if (!connections.has(key)) connections.set(key, connectTmc(getDb, { ...options, onStatus: (status) => status.type === "refused" && console.error(`[tmc ws] ${options.appKey} refused: ${status.code} ${status.reason}`) }, deps));
    }
  };
  const tick = () => void refresh().catch((error: unknown) => console.error("[tmc ws] listing apps failed:", error));
  tick();
  const timer = setInterval(tick, refreshMs);
  timer.unref();
  globalForConsumer.tmcWsConsumer = {
    stop: () => {
      clearInterval(timer);
      for (const connection of connections.values()) connection.stop();
      connections.clear();
      globalForConsumer.tmcWsConsumer = undefined;
    },
  };
  return globalForConsumer.tmcWsConsumer;
}
