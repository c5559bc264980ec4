import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/db/auth";
import { getDb } from "@/db/client";
import { getScope, type Scope } from "@/db/queries/users";

/** The signed-in user's scope (merchant, role, shops), read fresh from the database on every call. */
export async function getSessionScope(requestHeaders?: Headers): Promise<Scope | null> {
  const session = await getAuth().api.getSession({ headers: requestHeaders ?? (await headers()) });
  if (!session) return null;
  return getScope(getDb(), session.user.id);
}

/** For pages: no session → the login page. */
export async function requirePageScope(): Promise<Scope> {
  const scope = await getSessionScope();
  if (!scope) redirect("/login");
  return scope;
}
