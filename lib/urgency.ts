// Whichever clock bites first sorts the pending queue: the reply deadline or the platform's own (docs/domain/clocks.md).
export function getDueAtMs(request: { respondByMs: number; platformDeadlineMs: number | null }): number {
  return request.platformDeadlineMs === null ? request.respondByMs : Math.min(request.respondByMs, request.platformDeadlineMs);
}
