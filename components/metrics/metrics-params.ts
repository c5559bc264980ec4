import type { RangePreset, RangeProblem } from "@/lib/metrics/report-range";

/** The metrics page's search parameters, as the page read them (the view and its panels build links from them). */
export type MetricsParams = { range: RangePreset; from?: string; to?: string; shop?: string; agents?: string; target?: string; rangeProblem?: RangeProblem };
