import type { IncomingMessage } from "node:http";

export type TrustedProxies = { size: number; invalid: string[]; isTrusted: (address: string) => boolean };

export const clientAddressHeader: string;
export function normalizeAddress(value: unknown): string | null;
export function parseTrustedProxies(text: string | undefined): TrustedProxies;
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string | null;
export function stampClientAddress(request: IncomingMessage, trusted: TrustedProxies): void;
export function announceClientAddressHeader(): void;
