import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Duration } from 'luxon';
import type { Environment } from './config';
import { parsePayloadKeys } from './payload-codec';

/**
 * What the API (subscriptions) and the worker (the dispatcher) share about webhooks: the settings, which outbound
 * addresses are allowed, and the signing secrets, stored encrypted under the payload keys.
 */
export interface WebhookSettings {
  destinations: ReadonlySet<AddressClass>;
  httpsOnly: boolean;
  timeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  failingAfterMs: number;
  concurrency: number;
  payloadKeys: string;
}

const ms = (iso: string) => Duration.fromISO(iso).toMillis();

export function webhookSettings(config: Pick<Environment, 'WEBHOOK_DESTINATIONS' | 'WEBHOOK_TIMEOUT' | 'WEBHOOK_RETRY_INITIAL' | 'WEBHOOK_RETRY_MAX' | 'WEBHOOK_FAILING_AFTER' | 'WEBHOOK_CONCURRENCY' | 'NODE_ENV' | 'PAYLOAD_KEYS'>): WebhookSettings {
  return {
    destinations: new Set(config.WEBHOOK_DESTINATIONS.split(',') as AddressClass[]),
    httpsOnly: config.NODE_ENV === 'production',
    timeoutMs: ms(config.WEBHOOK_TIMEOUT),
    retryInitialMs: ms(config.WEBHOOK_RETRY_INITIAL),
    retryMaxMs: ms(config.WEBHOOK_RETRY_MAX),
    failingAfterMs: ms(config.WEBHOOK_FAILING_AFTER),
    concurrency: config.WEBHOOK_CONCURRENCY,
    payloadKeys: config.PAYLOAD_KEYS,
  };
}

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local';

function blocks(v4: string[], v6: string[]): BlockList {
  const list = new BlockList();
  for (const net of v4) { const [a, p] = net.split('/'); list.addSubnet(a, Number(p), 'ipv4'); }
  for (const net of v6) { const [a, p] = net.split('/'); list.addSubnet(a, Number(p), 'ipv6'); }
  return list;
}

const LOOPBACK = blocks(['127.0.0.0/8'], ['::1/128']);
const LINK_LOCAL = blocks(['169.254.0.0/16'], ['fe80::/10']);
const PRIVATE = blocks(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'], ['fc00::/7', '64:ff9b::/96']);
/** Never a destination: unspecified, broadcast, multicast, documentation and reserved ranges. */
const NEVER = blocks(
  ['0.0.0.0/8', '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4'],
  ['::/128', '2001:db8::/32', 'ff00::/8'],
);

/** The class of an IP address (an IPv4-mapped IPv6 address is classed as its IPv4 one); `reserved` is never allowed. */
export function addressClass(address: string): AddressClass | 'reserved' {
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (NEVER.check(ip, family)) return 'reserved';
  if (LOOPBACK.check(ip, family)) return 'loopback';
  if (LINK_LOCAL.check(ip, family)) return 'link-local';
  if (PRIVATE.check(ip, family)) return 'private';
  return 'public';
}

/** Why an address may not be sent to, or undefined when it may. */
export function refusedAddress(address: string, allowed: ReadonlySet<AddressClass>): string | undefined {
  const kind = addressClass(address);
  if (kind === 'reserved') return 'is a reserved or multicast address';
  return allowed.has(kind) ? undefined : `is a ${kind} address, which this deployment does not send webhooks to`;
}

/** A URL's own problem (scheme, https in production, credentials, fragment), before any address is looked at. */
export function refusedUrlShape(raw: string, httpsOnly: boolean): string | undefined {
  let url: URL;
  try { url = new URL(raw); } catch { return 'must be an absolute http(s) URL'; }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (httpsOnly && url.protocol !== 'https:') return 'must be https in production';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  return undefined;
}

/** The addresses a URL's host names without a lookup (an address literal, `localhost`); undefined for a host name. */
export function literalAddresses(url: URL): string[] | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return [host];
  if (host === 'localhost' || host.endsWith('.localhost')) return ['127.0.0.1', '::1'];
  return undefined;
}

/**
 * Checks a subscription's URL and every address its host resolves to; returns the problem or undefined. A host name
 * is resolved with the system resolver (the dispatcher checks the addresses again when it connects, so a name that
 * later resolves elsewhere is refused then).
 */
export async function refusedWebhookUrl(raw: string, settings: Pick<WebhookSettings, 'destinations' | 'httpsOnly'>, resolve: (host: string) => Promise<string[]> = resolveHost): Promise<string | undefined> {
  const shape = refusedUrlShape(raw, settings.httpsOnly);
  if (shape) return shape;
  const url = new URL(raw);
  let addresses = literalAddresses(url);
  if (!addresses) {
    // With only this machine's addresses allowed (tests, benchmarks, the local stack), no name is looked up at all.
    if (!namesMayResolve(settings.destinations)) return 'is a host name, and this deployment sends webhooks only to address literals and localhost';
    try { addresses = await resolve(url.hostname); } catch { return 'has a host name that does not resolve'; }
    if (!addresses.length) return 'has a host name that does not resolve';
  }
  for (const address of addresses) {
    const why = refusedAddress(address, settings.destinations);
    if (why) return `resolves to an address that ${why}`;
  }
  return undefined;
}

/** Whether a host name may be looked up: only when public or private addresses may be sent to. */
export function namesMayResolve(destinations: ReadonlySet<AddressClass>): boolean {
  return destinations.has('public') || destinations.has('private');
}

async function resolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A secret encrypted for storage under the first payload key (AES-256-GCM): `keyId:base64(iv|ciphertext|tag)`. */
export function sealSecret(secret: string, payloadKeys: string): string {
  const [key] = parsePayloadKeys(payloadKeys);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const sealed = Buffer.concat([iv, cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${key.id}:${sealed.toString('base64')}`;
}

export function openSecret(sealed: string, payloadKeys: string): string {
  const at = sealed.indexOf(':');
  const key = parsePayloadKeys(payloadKeys).find((k) => k.id === sealed.slice(0, at));
  if (!key) throw new Error('a webhook secret is sealed under a payload key that is no longer configured');
  const data = Buffer.from(sealed.slice(at + 1), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
}
