// Every action the audit log records (db/schema.ts audit_log.action). The live stream is the audit log itself
// (db/queries/live.ts): each row goes out as an event named by its action, so a client listens by these names.

export const auditActions = [
  // a card arrives, is decided, taken back or changed by the platform
  "received",
  "approved",
  "rejected",
  "undone",
  "cancelled_by_buyer",
  "updated_by_platform",
  "platform_refused",
  // auto-open rules
  "approved_by_rule",
  "rule_dry_run",
  "rule_not_eligible",
  "rules_changed",
  // the order's after-sales entry
  "entry_opened",
  "entry_already_open",
  "entry_setting_changed",
  // claims (认领) and assignment
  "claimed",
  "released",
  "assigned",
  "claim_lapsed",
  // Douyin's platform proposals and the seller's counter-offers
  "proposal_received",
  "proposal_invalid",
  "proposal_accepted",
  "proposal_rejected",
  "proposal_lapsed",
  "counter_offered",
] as const;

export type AuditAction = (typeof auditActions)[number];

/** Actions with a side of their own on the desk: a new card chimes, a card the platform sent back is announced. */
export const announcedActions = ["received", "platform_refused"] as const satisfies readonly AuditAction[];

/**
 * Every other action that can change a card: the live view refetches the card and puts it where it now belongs
 * (an undone decision brings it back, a claim shows who has it). Rows without a card are skipped by the client.
 */
export const cardChangeActions: readonly AuditAction[] = auditActions.filter((action) => !(announcedActions as readonly string[]).includes(action));
