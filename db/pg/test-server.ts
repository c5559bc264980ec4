import { inject } from "vitest";

/** The PostgreSQL server url db/pg/global-setup.ts found or started; throws its reason when it had none. */
export function serverUrlOrFail(): string {
  const postgres = inject("postgres");
  if ("error" in postgres) throw new Error(postgres.error);
  return postgres.url;
}
