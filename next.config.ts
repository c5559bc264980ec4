import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { staticHeaderRules } from "./lib/security-headers";

const withNextIntl = createNextIntlPlugin("./app/_i18n/request.ts");

const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3", "ws"],
  poweredByHeader: false,
  // gzip runs beside SQLite on the server's one busy thread: it cost a quarter of a decision's time under
  // load (bench: 50 agents, 1,000 decisions 8.3 → 6.3 s). Compress in the reverse proxy in front instead.
  compress: false,
  // e2e and bench build into their own folder so they never clobber the desk a developer is running.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // The security headers of every answer; pages get their nonce policy from proxy.ts (docs/security.md)
  headers: async () => staticHeaderRules(),
  experimental: {
    // Server Actions are read by Next itself, not by app/_server/read-body.ts: the language switch
    // (app/_server/locale-action.ts, a few bytes) and any multipart POST to a page path, signed in or not.
    // Next's default would read 1 MB of such a body; 16 KiB is still hundreds of times the switch's call
    // (docs/security.md, "Request bodies"; app/_server/body-limits-wiring.test.ts).
    serverActions: { bodySizeLimit: 16 * 1024 },
  },
};

export default withNextIntl(nextConfig);
