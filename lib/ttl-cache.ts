/**
 * A small map whose entries expire: each lives until its own deadline (at most `ttlMs` after it was set), and the
 * oldest entries go first once `maxEntries` is reached. Pure: the clock is passed in.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAtMs: number }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now: () => number }) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` for `ttlMs`, or until `notAfterMs` when that comes sooner (an expiring session). */
  set(key: K, value: V, notAfterMs = Number.POSITIVE_INFINITY): void {
    const expiresAtMs = Math.min(this.options.now() + this.options.ttlMs, notAfterMs);
    this.entries.delete(key);
    if (expiresAtMs <= this.options.now()) return;
    this.entries.set(key, { value, expiresAtMs });
    // A Map iterates in insertion order: the first keys are the oldest
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** Drops every entry whose value matches (a session signed out, a user signed out everywhere). */
  deleteWhere(matches: (value: V) => boolean): number {
    let deleted = 0;
    for (const [key, entry] of this.entries) {
      if (matches(entry.value)) {
        this.entries.delete(key);
        deleted++;
      }
    }
    return deleted;
  }

  get size(): number {
    return this.entries.size;
  }
}
