"use client";

import { createContext, useContext, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

// The desk's one table: a framed list that scrolls sideways on a narrow screen (activity, orders, team, metrics
// breakdown), or a compact one inside a panel (staffing hours, scenarios, the estimator, backtest figures). Header
// cells are column headers for screen readers; numeric cells align right with tabular figures.

type Density = "comfortable" | "compact";

const DensityContext = createContext<Density>("comfortable");

const cellPadding: Record<Density, string> = { comfortable: "px-3 py-2", compact: "px-2 py-1" };

type TableProps = ComponentProps<"table"> & {
  density?: Density;
  /** A framed, sideways-scrolling box around the table (the default for comfortable tables). */
  isFramed?: boolean;
  /** Props of the frame, e.g. a label and tabIndex when the frame scrolls and must take focus. */
  frameProps?: ComponentProps<"div">;
};

export function Table({ density = "comfortable", isFramed = density === "comfortable", frameProps, className, children, ...props }: TableProps) {
  const table = (
    <table className={cn("w-full text-left text-sm", className)} {...props}>
      {children}
    </table>
  );
  return (
    <DensityContext.Provider value={density}>
      {isFramed ? (
        <div {...frameProps} className={cn("overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200", frameProps?.className)}>
          {table}
        </div>
      ) : (
        table
      )}
    </DensityContext.Provider>
  );
}

export function TableHead({ className, ...props }: ComponentProps<"thead">) {
  const density = useContext(DensityContext);
  return <thead className={cn(density === "comfortable" ? "bg-slate-50 text-slate-600" : "text-xs text-slate-600", className)} {...props} />;
}

export function TableBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-slate-100", className)} {...props} />;
}

type CellOptions = { isNumeric?: boolean; children?: ReactNode };

export function Th({ isNumeric, className, scope = "col", ...props }: ComponentProps<"th"> & CellOptions) {
  const density = useContext(DensityContext);
  // In a framed list a column's name stays on one line (a narrow column broke 角色 into one character a line) and the
  // frame scrolls; compact tables sit unframed in panels, where a long name wraps rather than widen the page
  const isOneLine = scope === "col" && density === "comfortable";
  return <th scope={scope} className={cn(cellPadding[density], "font-medium", isOneLine && "whitespace-nowrap", isNumeric && "text-right", className)} {...props} />;
}

export function Td({ isNumeric, className, ...props }: ComponentProps<"td"> & CellOptions) {
  const density = useContext(DensityContext);
  return <td className={cn(cellPadding[density], isNumeric && "text-right tabular-nums", className)} {...props} />;
}
