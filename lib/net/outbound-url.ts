import ipaddr from "ipaddr.js";

// Which URLs the desk may call out to (docs/security.md "Outbound calls"). Pure rules: the scheme a URL may use,
// and what kind of address an IP is. app/_server/net/guarded-fetch.ts applies them to every address a host
// resolves to, connects only to a checked address, and follows no redirect.

/** What the URL is for: an HTTP call (decision endpoint, platform API) or a WebSocket (Taobao TMC). */
export type OutboundUse = "http" | "ws";

/**
 * The two switches, from the environment (getOutboundPolicy):
 * - `allowLocal` (ALLOW_LOCAL_ENDPOINTS=1): loopback addresses (127.0.0.0/8, ::1, localhost) may be called, and in
 *   production plain http/ws may be used towards them. Nothing else opens: private, link-local, metadata, CGNAT,
 *   unspecified, multicast and reserved addresses stay refused, for local demos and tests never need them.
 * - `isProduction` (NODE_ENV=production): https/wss only, except plain http/ws to a loopback host under allowLocal
 *   and the built-in Taobao TMC address (plainWsPlatformHosts).
 */
export type OutboundPolicy = { allowLocal: boolean; isProduction: boolean };

export function getOutboundPolicy(env: { NODE_ENV?: string; ALLOW_LOCAL_ENDPOINTS?: string }): OutboundPolicy {
  return { allowLocal: env.ALLOW_LOCAL_ENDPOINTS === "1", isProduction: env.NODE_ENV === "production" };
}

/** Why a URL or a call was refused. */
export type OutboundRefusal = "scheme" | "address" | "redirect";

/**
 * The fixed sentence recorded as a refused call's last error: the same for every refused address, so the outbox
 * cannot tell an owner which internal address or port answers (no socket error is ever recorded for one).
 */
export const outboundRefusalText: Record<OutboundRefusal, string> = {
  address: "目标地址不允许：内网/本机地址",
  scheme: "目标地址不允许：生产环境只接受 https/wss 地址",
  redirect: "目标地址不允许：不跟随重定向",
};

export type AddressKind =
  | "public"
  | "loopback"
  | "unspecified"
  | "linkLocal"
  | "metadata"
  | "private"
  | "sharedCgnat"
  | "multicast"
  | "broadcast"
  | "reserved";

/** Cloud instance-metadata services: AWS/GCP/Azure/Alibaba IPv4, AWS IPv6. Refused under any other kind too. */
const metadataAddresses = new Set(["169.254.169.254", "100.100.100.200", "fd00:ec2::254"]);

const ipv4Kinds: Record<string, AddressKind> = {
  unicast: "public",
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "linkLocal",
  loopback: "loopback",
  carrierGradeNat: "sharedCgnat",
  private: "private",
  reserved: "reserved",
  as112: "reserved",
  amt: "reserved",
};

function classifyIpv4(address: ipaddr.IPv4): AddressKind {
  if (metadataAddresses.has(address.toString())) return "metadata";
  return ipv4Kinds[address.range()] ?? "reserved";
}

/** The IPv4 address an IPv6 address carries for translation (mapped, SIIT, NAT64 well-known prefix, 6to4), if any. */
function getEmbeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  const range = address.range();
  const fromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  if (range === "ipv4Mapped" || range === "rfc6145") return fromWords(parts[6], parts[7]);
  // 64:ff9b::/96 only: the local-use 64:ff9b:1::/48 is a private translator, refused as reserved
  if (range === "rfc6052" && parts[2] === 0 && parts[3] === 0 && parts[4] === 0 && parts[5] === 0) return fromWords(parts[6], parts[7]);
  if (range === "6to4") return fromWords(parts[1], parts[2]);
  return null;
}

function classifyIpv6(address: ipaddr.IPv6): AddressKind {
  const text = address.toNormalizedString();
  if (metadataAddresses.has(address.toString()) || text === "fd00:ec2:0:0:0:0:0:254") return "metadata";
  const embedded = getEmbeddedIpv4(address);
  if (embedded) return classifyIpv4(embedded);
  // Widened: the bundled types list fewer ranges than the library answers (deprecatedSiteLocal, discard…)
  switch (address.range() as string) {
    case "unspecified":
      return "unspecified";
    case "loopback":
      return "loopback";
    case "linkLocal":
      return "linkLocal";
    case "multicast":
      return "multicast";
    case "uniqueLocal":
    case "deprecatedSiteLocal":
      return "private";
    case "unicast":
      // Only global unicast (2000::/3) is public; the rest (IPv4-compatible ::a.b.c.d, unassigned) is not
      return (address.parts[0] & 0xe000) === 0x2000 ? "public" : "reserved";
    default:
      // teredo, rfc6052 local-use, discard, benchmarking, documentation, orchid, as112v6, amt, segment routing…
      return "reserved";
  }
}

/**
 * What kind of address `text` is, or null when it is not an IP address. Every IPv4 spelling inet_aton takes is
 * read as the address it means (2130706433, 0x7f.1, 017700000001 are 127.0.0.1), IPv6 with or without brackets,
 * and an IPv6 address that carries an IPv4 one (::ffff:a.b.c.d, 64:ff9b::a.b.c.d, 2002:AABB:CCDD::) is that IPv4 one.
 */
export function classifyAddress(text: string): AddressKind | null {
  const bare = text.startsWith("[") && text.endsWith("]") && text.includes(":") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return null;
  const address = ipaddr.parse(bare);
  return address.kind() === "ipv4" ? classifyIpv4(address as ipaddr.IPv4) : classifyIpv6(address as ipaddr.IPv6);
}

/** Whether a call may go to an address of this kind: public ones always, loopback only under allowLocal. */
export function isAddressAllowed(kind: AddressKind, policy: OutboundPolicy): boolean {
  return kind === "public" || (kind === "loopback" && policy.allowLocal);
}

/** `localhost` and its subdomains name this machine whatever DNS says (RFC 6761). */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

/**
 * What the host names before any DNS: an IP literal's kind, "loopback" for localhost names, null for other names
 * (whose addresses the guard resolves and checks).
 */
export function classifyHost(hostname: string): AddressKind | null {
  return isLocalhostName(hostname) ? "loopback" : classifyAddress(hostname);
}

/**
 * Hosts the desk itself calls over plain ws in production: Taobao documents its TMC address only as
 * ws://mc.api.taobao.com/ (docs/platforms/tmc.md); no public source names a wss one (docs/security.md). An
 * owner's own tmcUrl to any other host must be wss in production.
 */
export const plainWsPlatformHosts: ReadonlySet<string> = new Set(["mc.api.taobao.com"]);

const secureScheme: Record<OutboundUse, string> = { http: "https:", ws: "wss:" };
const plainScheme: Record<OutboundUse, string> = { http: "http:", ws: "ws:" };

export type CheckedUrl = {
  ok: true;
  url: URL;
  /** The host without IPv6 brackets, as DNS and sockets take it. */
  hostname: string;
  /** The kind of an IP literal or localhost; null for a name to resolve. */
  literalKind: AddressKind | null;
};

/**
 * The rules a URL meets before any DNS: its scheme (https/wss always; http/ws outside production, or in production
 * towards a loopback host under allowLocal, or to a built-in plain-ws platform host) and, for an IP literal or
 * localhost, its address. A URL that does not parse, or has another scheme, is refused as "scheme".
 */
export function checkOutboundUrl(raw: string, use: OutboundUse, policy: OutboundPolicy): CheckedUrl | { ok: false; reason: OutboundRefusal } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "scheme" };
  }
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (hostname === "") return { ok: false, reason: "scheme" };
  const literalKind = classifyHost(hostname);
  if (url.protocol !== secureScheme[use]) {
    if (url.protocol !== plainScheme[use]) return { ok: false, reason: "scheme" };
    const isPlainAllowed = !policy.isProduction || (policy.allowLocal && literalKind === "loopback") || (use === "ws" && plainWsPlatformHosts.has(hostname.toLowerCase()));
    if (!isPlainAllowed) return { ok: false, reason: "scheme" };
  }
  if (literalKind && !isAddressAllowed(literalKind, policy)) return { ok: false, reason: "address" };
  return { ok: true, url, hostname, literalKind };
}

/** Redirect statuses: the guard follows none of them (a redirect could point anywhere, after the check). */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
