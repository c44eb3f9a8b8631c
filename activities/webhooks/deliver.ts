import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { type AddressClass, literalAddresses, namesMayResolve, refusedAddress, refusedUrlShape } from '../../infra/webhooks';

/** What one attempt came to: a status code, or an error in a few words (never the response body, which is not read). */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * The Standard Webhooks headers for one attempt: the stable `webhook-id`, the attempt's time, and a `v1` signature by
 * each secret in force (the new and, during a rotation's overlap, the previous), space-separated as the spec allows.
 */
export function signedHeaders(webhookId: string, body: string, secrets: string[], at = new Date()): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(webhookId, at, body)).join(' '),
  };
}

/** Resolves a host name and refuses it unless every address it resolves to is of an allowed class. */
function guardedLookup(allowed: ReadonlySet<AddressClass>): LookupFunction {
  return (hostname, options, callback) => {
    if (!namesMayResolve(allowed) && hostname !== 'localhost' && !hostname.endsWith('.localhost')) {
      return callback(Object.assign(new Error('destination refused'), { code: 'EDESTREFUSED' }), '', 0);
    }
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.map((a) => refusedAddress(a.address, allowed)).find(Boolean);
      if (refused || !addresses.length) return callback(Object.assign(new Error('destination refused'), { code: 'EDESTREFUSED' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs a signed event to a subscriber, safely: the URL and every address it resolves to are checked again at
 * connection time; the whole exchange has one deadline; redirects are not followed (a 3xx is a failure); the response
 * body is never read.
 */
export async function postEvent(url: string, body: string, headers: Record<string, string>, opts: { destinations: ReadonlySet<AddressClass>; httpsOnly: boolean; timeoutMs: number }): Promise<AttemptResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): AttemptResult => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300, statusCode, error, durationMs: Date.now() - started,
  });
  // An address literal is checked here; a host name by guardedLookup, as it connects.
  const shape = refusedUrlShape(url, opts.httpsOnly);
  if (shape) return done(null, `destination refused: the URL ${shape}`);
  const target = new URL(url);
  const refused = (literalAddresses(target) ?? []).map((a) => refusedAddress(a, opts.destinations)).find(Boolean);
  if (refused) return done(null, `destination refused: the address ${refused}`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => { if (!settled) { settled = true; clearTimeout(timer); resolve(result); } };
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'user-agent': 'precharge-webhooks/1', ...headers },
      lookup: guardedLookup(opts.destinations),
      agent: false,
    }, (res) => {
      const status = res.statusCode ?? null;
      res.destroy();
      if (status !== null && status >= 300 && status < 400) return finish(done(status, 'redirect not followed'));
      finish(done(status, status !== null && status >= 200 && status < 300 ? null : `HTTP ${status}`));
    });
    const timer = setTimeout(() => { req.destroy(); finish(done(null, `timed out after ${opts.timeoutMs} ms`)); }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(done(null, err.code === 'EDESTREFUSED' ? 'destination refused: resolves to an address not allowed' : (err.code ?? 'connection failed'))));
    req.end(body);
  });
}
