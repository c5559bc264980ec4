"use client";

// The browser's idea of the server's time: every API answer carries serverNow, and the offset from a
// round trip's midpoint corrects a browser clock that is minutes off.
let offsetMs = 0;

export function recordServerTime(serverNowIso: string, sentAtMs: number, receivedAtMs: number) {
  const serverMs = Date.parse(serverNowIso);
  if (Number.isNaN(serverMs)) return;
  offsetMs = serverMs - (sentAtMs + receivedAtMs) / 2;
}

export function getServerNow(): Date {
  return new Date(Date.now() + offsetMs);
}
