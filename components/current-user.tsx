"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Role } from "@/lib/domain";

type CurrentUser = { id: string; name: string; role: Role };

const CurrentUserContext = createContext<CurrentUser | null>(null);

export function CurrentUserProvider({ user, children }: { user: CurrentUser; children: ReactNode }) {
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}

export function useCurrentUser(): CurrentUser | null {
  return useContext(CurrentUserContext);
}
