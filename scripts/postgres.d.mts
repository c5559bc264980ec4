export type PostgresServer = {
  /** postgres://postgres@host:port/postgres: its user may create and drop databases. */
  url: string;
  /** Where it came from, for messages. */
  source: string;
  /** The throwaway cluster's folder (deleted by stop); absent for a server that was already there. */
  folder?: string;
  stop: () => Promise<void>;
};

export function providePostgres(options?: { probeLocal?: boolean; binaryRoot?: string; log?: (message: string) => void }): Promise<PostgresServer>;
