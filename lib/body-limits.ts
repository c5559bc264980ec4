import { policyProfiles } from "@/lib/policy/profiles";
import { maxWebhookBodyBytes } from "@/lib/webhook/events";

// How many bytes of a request body each kind of route reads before it answers 413 (docs/security.md,
// "Request bodies"). Nothing reads a body except through app/_server/read-body.ts with one of these.

const kibibyte = 1024;

/** Room for the multipart boundary, the part's headers and a long file name around the one file. */
export const multipartOverheadBytes = 16 * kibibyte;

/** The largest proof file any platform's profile accepts (5 MB today). */
export const maxEvidenceFileBytes = Math.max(...Object.values(policyProfiles).map((profile) => profile.reject.evidence.maxBytesEach));

export const bodyLimits = {
  /** Douyin's and WeChat's pushes and our own signed webhook: the contract's 256 KiB. */
  platformPush: maxWebhookBodyBytes,
  /**
   * Every JSON API. The largest body the desk itself sends is the rules editor's (50 rules, every box
   * ticked: about 47 kB); bulk decisions carry at most 200 ids and a 2,000-character message.
   */
  json: 64 * kibibyte,
  /** The rejection-evidence upload: one file of at most maxEvidenceFileBytes, as multipart/form-data. */
  evidenceUpload: maxEvidenceFileBytes + multipartOverheadBytes,
  /**
   * A POST to a page path, which Next reads itself as a possible Server Action (next.config.ts): the language switch
   * is the desk's only one and sends a few bytes.
   */
  serverAction: 16 * kibibyte,
} as const;

/**
 * A declared Content-Length over the cap is refused before a byte is read. A missing or unreadable
 * header declares nothing (the streaming count still holds); Node's parser has already refused malformed ones.
 */
export function isDeclaredLengthOver(contentLength: string | null | undefined, maxBytes: number): boolean {
  if (contentLength === null || contentLength === undefined || !/^\s*\d+\s*$/.test(contentLength)) return false;
  return Number(contentLength) > maxBytes;
}
