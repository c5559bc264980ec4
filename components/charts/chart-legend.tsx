"use client";

import type { LegendPayload } from "recharts";

/**
 * The charts' legend as a plain list: recharts' default legend labels each icon "<name> legend icon" in English for
 * screen readers, which an owner reading the desk in Chinese should not hear. Passed as `<Legend content={…} />`.
 */
export function ChartLegendList({ payload }: { payload?: readonly LegendPayload[] }) {
  if (!payload?.length) return null;
  return (
    <ul className="flex flex-wrap justify-center gap-x-4 gap-y-1 pt-1 text-xs text-slate-700">
      {payload.map((entry) => (
        <li key={String(entry.value)} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ backgroundColor: entry.color }} />
          {entry.value}
        </li>
      ))}
    </ul>
  );
}
