import type { ComponentProps } from "react";
import { cn } from "@/components/ui/cn";

// A disabled button of any variant is grey and flat (no hover), so it never reads as one that works.
const disabledLook = "disabled:bg-slate-100 disabled:text-slate-400 disabled:shadow-none disabled:ring-1 disabled:ring-slate-200 disabled:ring-inset";

const variants = {
  primary: "bg-emerald-700 text-white hover:bg-emerald-800 focus-visible:outline-emerald-700",
  danger: "bg-white text-rose-700 ring-1 ring-inset ring-rose-300 hover:bg-rose-50 focus-visible:outline-rose-600",
  dangerSolid: "bg-rose-600 text-white hover:bg-rose-700 focus-visible:outline-rose-600",
  ghost: "bg-transparent text-slate-700 hover:bg-slate-100 focus-visible:outline-slate-500 disabled:bg-transparent disabled:ring-0",
  outline: "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-slate-500",
} as const;

type ButtonProps = ComponentProps<"button"> & { variant?: keyof typeof variants; size?: "sm" | "md" };

// On a phone (under 640 px) every button is at least 44 px tall, a fingertip's target.
const sizes = { sm: "h-8 px-3 text-sm max-sm:h-11", md: "h-9 px-4 text-sm max-sm:h-11" } as const;

export function Button({ variant = "outline", size = "md", className, type = "button", ...props }: ButtonProps) {
  return (
    <button
      type={type}
      className={cn(
        "inline-flex items-center justify-center gap-1.5 rounded-md font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed",
        sizes[size],
        disabledLook,
        variants[variant],
        className,
      )}
      {...props}
    />
  );
}
