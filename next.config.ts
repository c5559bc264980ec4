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
};

export default withNextIntl(nextConfig);
