import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { bodyLimits } from "@/lib/body-limits";
import { locales } from "@/lib/i18n/locales";

// Every request body is read within a cap (docs/security.md, "Request bodies"): the ones Next reads itself
// (Server Actions) by next.config.ts, and every API route's through app/_server/read-body.ts.

const require = createRequire(import.meta.url);
/** The parser Next applies to `bodySizeLimit` (its action handler's). */
const parseSize = require("next/dist/compiled/bytes").parse as (value: string | number) => number;
/** What the browser sends for a Server Action call: React's reply encoder, as Next's client uses it. */
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node") as { encodeReply: (args: unknown[]) => Promise<string | FormData> };

const kibibyte = 1024;

describe("Server Actions body cap (next.config.ts)", () => {
  const limit = nextConfig.experimental?.serverActions?.bodySizeLimit;

  it("is set, and far below Next's 1 MB default", () => {
    expect(limit, "experimental.serverActions.bodySizeLimit").toBeDefined();
    expect(parseSize(limit!)).toBeLessThanOrEqual(16 * kibibyte);
    // The node:http layer refuses a page POST declaring more than this before Next reads it (scripts/fast-routes.mjs)
    expect(parseSize(limit!)).toBe(bodyLimits.serverAction);
  });

  it("still takes the language switch's call with room to spare", async () => {
    // app/_server/locale-action.ts setLocale(locale): its whole body is the encoded argument list
    for (const locale of locales) {
      const body = await encodeReply([locale]);
      expect(typeof body).toBe("string");
      expect(Buffer.byteLength(body as string) * 8).toBeLessThanOrEqual(parseSize(limit!));
    }
  });
});

const apiRoot = path.join(process.cwd(), "app", "api");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The code without comments, so a comment that names request.json() is not taken for a call. */
function code(file: string): string {
  return fs
    .readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const relative = (file: string) => path.relative(process.cwd(), file).split(path.sep).join("/");
const readsWithinCap = /\b(readBodyWithin|capRequestBody)\(/;

/**
 * Route handlers not wrapped in withScope / withOwner (which read the body within the route's cap before the
 * handler runs). Each must read its body itself through the capped reader, or take none.
 */
const unwrappedHandlers: Record<string, { reason: string; readsBodyIn?: string }> = {
  "app/api/auth/[...all]/route.ts POST": {
    reason: "better-auth reads the body itself: it is handed a Request over the bytes capRequestBody read",
    readsBodyIn: "app/api/auth/[...all]/route.ts",
  },
  "app/api/auth/[...all]/route.ts GET": { reason: "GET: Next hands it no body" },
  "app/api/platforms/douyin/push/route.ts POST": {
    reason: "Douyin signs its pushes instead of holding a session; the handler reads with readBodyWithin first",
    readsBodyIn: "app/api/platforms/douyin/push/handle-push.ts",
  },
  "app/api/platforms/wechat/push/route.ts POST": {
    reason: "WeChat signs its pushes instead of holding a session; the handler reads with readBodyWithin first",
    readsBodyIn: "app/api/platforms/wechat/push/handle-push.ts",
  },
  "app/api/platforms/wechat/push/route.ts GET": { reason: "WeChat's signed URL check, a GET: Next hands it no body" },
  "app/api/platforms/[platform]/events/route.ts POST": {
    reason: "our signed webhook holds no session; the handler reads with readBodyWithin first",
    readsBodyIn: "app/api/platforms/[platform]/events/handle-event.ts",
  },
  "app/api/openapi.json/route.ts GET": { reason: "GET, public API description: Next hands it no body" },
};

/**
 * Direct body reads in app/api that are correct: the Request they read is the one withScope hands over,
 * already read within the cap (a new Request over the bytes in hand).
 */
const directReadsAllowed: Record<string, string> = {
  "app/api/requests/[id]/rejection-evidence/route.ts request.formData()": "withScope read the upload within bodyLimits.evidenceUpload",
};

const methodExport = /export\s+(?:const\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s*=\s*([A-Za-z_$][\w$]*)|(?:async\s+)?function\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b)/g;
const directRead = /\b(request|req)\s*\.\s*(json|text|formData|arrayBuffer|blob|bytes)\s*\(\s*\)|\b(request|req)\s*\.\s*body\b/g;

describe("API routes read bodies only within a cap", () => {
  const files = sourceFiles(apiRoot);
  const routes = files.filter((file) => path.basename(file) === "route.ts");

  it("finds the routes", () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it("every handler is wrapped in withScope / withOwner, or is an allow-listed one that reads through the capped reader", () => {
    const unwrapped: string[] = [];
    for (const file of routes) {
      for (const match of code(file).matchAll(methodExport)) {
        const [, constMethod, wrapper, functionMethod] = match;
        if (constMethod && (wrapper === "withScope" || wrapper === "withOwner")) continue;
        unwrapped.push(`${relative(file)} ${constMethod ?? functionMethod}`);
      }
    }
    expect(unwrapped.sort()).toEqual(Object.keys(unwrappedHandlers).sort());
    for (const [handler, { readsBodyIn }] of Object.entries(unwrappedHandlers)) {
      const method = handler.split(" ").at(-1)!;
      if (method === "GET" || method === "HEAD") continue;
      expect(readsBodyIn, `${handler} takes a body: name where it is read within a cap`).toBeDefined();
      expect(code(path.join(process.cwd(), readsBodyIn!)), `${readsBodyIn} reads through read-body.ts`).toMatch(readsWithinCap);
    }
  });

  it("no file under app/api reads a request body directly (request.json(), .text(), .formData(), .arrayBuffer(), .body) except the allow-listed", () => {
    const found: string[] = [];
    for (const file of files) {
      for (const match of code(file).matchAll(directRead)) found.push(`${relative(file)} ${match[0].replace(/\s+/g, "")}`);
    }
    expect(found.sort()).toEqual(Object.keys(directReadsAllowed).sort());
  });
});
