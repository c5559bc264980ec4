// Platform intervention (平台介入, docs/domain/kinds.md) as the adapters store it: Douyin arbitrate_status names
// (lib/platforms/douyin.ts) or Taobao's "applied" / "intervened" (TaobaoInterApplied / TaobaoIntervened topics).

/** States in which no intervention is under way: never asked, withdrawn, or already ruled. */
const settledStates = new Set(["none", "cancelled", "ended", "ruled_for_buyer", "ruled_for_seller"]);

/** An unknown state counts as under way: a card that may be with the platform should say so. */
export function isPlatformIntervening(state: string | null | undefined): boolean {
  return Boolean(state) && !settledStates.has(state!);
}
