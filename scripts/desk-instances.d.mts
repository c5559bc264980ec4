export type ThrowawayDatabase = { name: string; url: string; drop: () => Promise<void> };

export type DeskInstance = {
  port: number;
  /** http://localhost:<port> (also its APP_URL) */
  url: string;
  logFile: string;
  readonly isRunning: boolean;
  /** SIGKILL (or the signal given) to its process group; resolves when it has exited. */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
};

export type DecisionReceiver = {
  url: string;
  deliveries: Map<string, { count: number; requestIds: Set<string> }>;
  readonly badSignatures: number;
  close: () => Promise<void>;
};

export function signBody(secret: string, timestamp: string, body: string): string;
export function createDatabase(serverUrl: string, label: string, options?: { template?: string }): Promise<ThrowawayDatabase>;
export function sharedInstanceEnv(options: { databaseUrl?: string; dataDir: string; distDir: string; extra?: Record<string, string> }): NodeJS.ProcessEnv;
export function setUpDatabase(env: NodeJS.ProcessEnv): void;
export function startInstance(options: { port: number; env: NodeJS.ProcessEnv; logDir: string; readyTimeoutMs?: number }): Promise<DeskInstance>;
export function postPlatformEvent(options: {
  baseUrl: string;
  platform: string;
  shopId: string;
  secret: string;
  event: unknown;
}): Promise<{ status: number; body: unknown }>;
export function startDecisionReceiver(secret: string): Promise<DecisionReceiver>;
