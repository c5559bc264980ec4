import { useTranslations } from "next-intl";
import { getReadableTextColor, type Rgb } from "@/lib/ui/readable-text";

/** Weekday × hour grid; darker cells hold more cards. Numbers stay in each cell for screen readers and print. */
export function Heatmap({ title, counts, hue }: { title: string; counts: number[][]; hue: "emerald" | "rose" }) {
  const t = useTranslations("metrics");
  const tOwner = useTranslations("ownerPages.metrics");
  const max = Math.max(1, ...counts.flat());
  const color: Rgb = hue === "emerald" ? [4, 120, 87] : [190, 18, 60];
  return (
    <div className="overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-emerald-700" tabIndex={0} role="group" aria-label={tOwner("scrollRegion", { name: title })}>
      {/* A plain <table>, not components/ui/table.tsx: a 7 × 24 grid of spaced, coloured squares with no cell padding or row rules */}
      <table className="w-full border-separate border-spacing-0.5 text-[11px]">
        <caption className="mb-1 text-left text-sm font-medium text-slate-700">{title}</caption>
        <thead>
          <tr>
            <th scope="col" className="w-10" />
            {Array.from({ length: 24 }, (_, hour) => (
              <th key={hour} scope="col" className="font-normal text-slate-500">
                {hour}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((row, weekday) => (
            <tr key={weekday}>
              <th scope="row" className="pr-1 text-right font-normal text-slate-600">
                {t(`weekday.${weekday}` as "weekday.0")}
              </th>
              {row.map((count, hour) => {
                const share = count / max;
                const alpha = count === 0 ? 0.04 : 0.12 + share * 0.88;
                return (
                  <td
                    key={hour}
                    className="h-6 min-w-6 rounded-sm text-center"
                    style={{ backgroundColor: `rgba(${color.join(", ")}, ${alpha})`, color: getReadableTextColor(color, alpha) }}
                  >
                    {count || ""}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
