"use client";

import { useEffect, useState } from "react";
import { getServerNow } from "@/components/server-clock";

/** One ticking clock (server time) for the whole inbox; every card derives its countdown from it. */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(getServerNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(getServerNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
