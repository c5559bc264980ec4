import { describe, expect, it } from "vitest";
import { TtlCache } from "@/lib/ttl-cache";

function cacheAt(startMs = 1_000, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { nowMs: startMs };
  const cache = new TtlCache<string, string>({ ttlMs: options.ttlMs ?? 5_000, maxEntries: options.maxEntries ?? 10, now: () => clock.nowMs });
  return { cache, clock };
}

describe("TtlCache", () => {
  it("keeps an entry for its time to live and not a millisecond longer", () => {
    const { cache, clock } = cacheAt();
    cache.set("a", "A");
    clock.nowMs += 4_999;
    expect(cache.get("a")).toBe("A");
    clock.nowMs += 1;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("ends an entry at its own deadline when that comes before the time to live", () => {
    const { cache, clock } = cacheAt();
    cache.set("a", "A", clock.nowMs + 2_000);
    clock.nowMs += 1_999;
    expect(cache.get("a")).toBe("A");
    clock.nowMs += 1;
    expect(cache.get("a")).toBeUndefined();
    cache.set("past", "P", clock.nowMs);
    expect(cache.get("past")).toBeUndefined();
  });

  it("setting again restarts the entry's time", () => {
    const { cache, clock } = cacheAt();
    cache.set("a", "A");
    clock.nowMs += 4_000;
    cache.set("a", "A2");
    clock.nowMs += 4_000;
    expect(cache.get("a")).toBe("A2");
  });

  it("drops the oldest entries past its size", () => {
    const { cache } = cacheAt(1_000, { maxEntries: 2 });
    cache.set("a", "A");
    cache.set("b", "B");
    cache.set("c", "C");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, "B", "C"]);
  });

  it("deletes every entry a predicate matches and says how many", () => {
    const { cache } = cacheAt();
    cache.set("s1", "user-1");
    cache.set("s2", "user-1");
    cache.set("s3", "user-2");
    expect(cache.deleteWhere((value) => value === "user-1")).toBe(2);
    expect([cache.get("s1"), cache.get("s2"), cache.get("s3")]).toEqual([undefined, undefined, "user-2"]);
  });
});
