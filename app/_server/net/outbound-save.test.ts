import { describe, expect, it } from "vitest";
import { findOutboundIssues, findOutboundRefusal, toOutboundIssuesResponse, type SaveCheckDeps } from "@/app/_server/net/outbound-save";
import { enMessages as en, zhCNMessages as zh } from "@/lib/i18n/messages/merged";
import type { OutboundPolicy, OutboundRefusal } from "@/lib/net/outbound-url";
import { platformAppBody } from "@/lib/platforms/connection";
import { endpointBody } from "@/lib/webhook/settings-schemas";

// What the settings routes refuse at save time, with an injected resolver (no DNS leaves this machine).

const production: OutboundPolicy = { allowLocal: false, isProduction: true };
const productionLocal: OutboundPolicy = { allowLocal: true, isProduction: true };

const table: Record<string, { address: string; family: number }[]> = {
  "open.example.test": [{ address: "93.184.215.14", family: 4 }],
  "loopback.example.test": [{ address: "127.0.0.1", family: 4 }],
  "metadata.example.test": [{ address: "169.254.169.254", family: 4 }],
  "split.example.test": [
    { address: "93.184.215.14", family: 4 },
    { address: "192.168.0.10", family: 4 },
  ],
  "v6local.example.test": [{ address: "::1", family: 6 }],
};

function deps(policy: OutboundPolicy, resolve?: SaveCheckDeps["resolve"]): SaveCheckDeps {
  return {
    getPolicy: () => policy,
    resolveTimeoutMs: 50,
    resolve:
      resolve ??
      (async (hostname) => {
        const found = table[hostname];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
        return found;
      }),
  };
}

describe("findOutboundRefusal at save time", () => {
  it.each<[string, "http" | "ws", OutboundPolicy, OutboundRefusal | null]>([
    ["https://open.example.test/decisions", "http", production, null],
    ["https://loopback.example.test/decisions", "http", production, "address"],
    ["https://loopback.example.test/decisions", "http", productionLocal, null],
    ["https://metadata.example.test/", "http", productionLocal, "address"],
    ["https://split.example.test/", "http", production, "address"],
    ["https://v6local.example.test/", "http", production, "address"],
    // Best-effort: a name that does not resolve here is saved; the send-time guard checks it at every call
    ["https://unknown.example.test/", "http", production, null],
    ["http://open.example.test/", "http", production, "scheme"],
    ["http://127.0.0.1:4010/decisions", "http", productionLocal, null],
    ["https://127.0.0.1/", "http", production, "address"],
    ["https://[::1]/", "http", production, "address"],
    ["https://2130706433/", "http", production, "address"],
    ["https://169.254.169.254/", "http", productionLocal, "address"],
    ["https://10.0.0.8/", "http", productionLocal, "address"],
    ["wss://loopback.example.test/", "ws", production, "address"],
    ["ws://mc.api.taobao.com/", "ws", production, null],
    ["ws://tmc.example.test/", "ws", production, "scheme"],
  ])("%s (%s) → %s", async (url, use, policy, expected) => {
    expect(await findOutboundRefusal(url, use, deps(policy))).toBe(expected);
  });

  it("a resolver that does not answer in time does not hold the save", async () => {
    const never = () => new Promise<never>(() => undefined);
    const started = Date.now();
    expect(await findOutboundRefusal("https://slow.example.test/", "http", deps(production, never))).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("an IP literal is decided without asking DNS", async () => {
    const asked: string[] = [];
    const recording = deps(production, async (hostname) => {
      asked.push(hostname);
      return [];
    });
    expect(await findOutboundRefusal("https://8.8.8.8/", "http", recording)).toBeNull();
    expect(await findOutboundRefusal("https://10.1.1.1/", "http", recording)).toBe("address");
    expect(asked).toEqual([]);
  });
});

describe("the 422 a settings route answers", () => {
  const words = (messages: typeof zh) => (reason: OutboundRefusal) => messages.outboundGuard[reason];

  it("names each refused field of a platform app body, typed, in the owner's language", async () => {
    const body = platformAppBody.parse({
      protocol: "taobao_tmc",
      appKey: "12497914",
      platformShopId: "demo_shop",
      consumerEnabled: true,
      apiBaseUrl: "https://metadata.example.test/router/rest",
      tmcUrl: "ws://tmc.example.test/",
    });
    const issues = await findOutboundIssues(
      [
        { path: "apiBaseUrl", url: body.apiBaseUrl, use: "http" },
        { path: "tmcUrl", url: body.protocol === "taobao_tmc" ? body.tmcUrl : undefined, use: "ws" },
      ],
      deps(production),
    );
    expect(issues).toEqual([
      { path: "apiBaseUrl", reason: "address" },
      { path: "tmcUrl", reason: "scheme" },
    ]);
    const response = toOutboundIssuesResponse(issues, words(zh))!;
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: "invalid_body",
        message: "目标地址不允许：内网/本机地址",
        issues: [
          { path: "apiBaseUrl", code: "outbound_refused", reason: "address", message: "目标地址不允许：内网/本机地址" },
          { path: "tmcUrl", code: "outbound_refused", reason: "scheme", message: "目标地址不允许：生产环境只接受 https/wss 地址" },
        ],
      },
    });
    const english = toOutboundIssuesResponse(issues, words(en))!;
    expect((await english.json()).error.issues[1].message).toBe("Target not allowed: only https/wss addresses in production");
  });

  it("a public endpoint and an absent field raise nothing", async () => {
    const body = endpointBody.parse({ url: "https://open.example.test/decisions" });
    const issues = await findOutboundIssues(
      [
        { path: "url", url: body.url, use: "http" },
        { path: "tmcUrl", url: undefined, use: "ws" },
      ],
      deps(production),
    );
    expect(issues).toEqual([]);
    expect(toOutboundIssuesResponse(issues, words(zh))).toBeNull();
  });
});
