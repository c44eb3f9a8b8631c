import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { signedHeaders } from '../../activities/webhooks/deliver';
import { cloudEventOf, outboxEventId, safeDetails } from '../../activities/webhooks/outbox';
import { addressClass, type AddressClass, newSigningSecret, openSecret, refusedWebhookUrl, sealSecret } from '../../infra/webhooks';
import { filterIsKnown, filterMatches, WEBHOOK_EVENT_TYPES } from '../../workflows/contracts/webhooks';

const only = (...classes: AddressClass[]) => ({ destinations: new Set(classes), httpsOnly: false });
const neverResolve = async (): Promise<string[]> => { throw new Error('no name may be looked up in this test'); };

describe('webhook destinations', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'], ['::1', 'loopback'], ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'], ['fd00::1', 'private'],
    ['::ffff:10.0.0.1', 'private'], ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'],
    ['0.0.0.0', 'reserved'], ['224.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'], ['::', 'reserved'], ['192.0.2.1', 'reserved'],
    ['172.32.0.1', 'public'], ['8.8.8.8', 'public'], ['2a00:1450::1', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(addressClass(address)).toBe(kind);
  });

  it('refuses what the configuration does not allow, without looking any name up', async () => {
    const loopback = only('loopback');
    expect(await refusedWebhookUrl('http://127.0.0.1:8080/hook', loopback, neverResolve)).toBeUndefined();
    expect(await refusedWebhookUrl('http://[::1]:8080/hook', loopback, neverResolve)).toBeUndefined();
    expect(await refusedWebhookUrl('http://localhost:8080/hook', loopback, neverResolve)).toBeUndefined();
    expect(await refusedWebhookUrl('http://10.0.0.5/hook', loopback, neverResolve)).toMatch(/private address/);
    expect(await refusedWebhookUrl('http://169.254.169.254/latest/meta-data', loopback, neverResolve)).toMatch(/link-local address/);
    expect(await refusedWebhookUrl('http://8.8.8.8/hook', loopback, neverResolve)).toMatch(/public address/);
    expect(await refusedWebhookUrl('http://records.example/hook', loopback, neverResolve)).toMatch(/host name/);
    expect(await refusedWebhookUrl('http://127.0.0.1/hook', only('public'), neverResolve)).toMatch(/loopback address/);
    expect(await refusedWebhookUrl('http://[::ffff:192.168.0.1]/hook', only('public'), neverResolve)).toMatch(/private address/);
    expect(await refusedWebhookUrl('ftp://127.0.0.1/hook', loopback, neverResolve)).toMatch(/http/);
    expect(await refusedWebhookUrl('http://user:pw@127.0.0.1/hook', loopback, neverResolve)).toMatch(/credentials/);
    expect(await refusedWebhookUrl('http://127.0.0.1/hook', { ...loopback, httpsOnly: true }, neverResolve)).toMatch(/https/);
  });

  it('checks every address a host name resolves to (resolver stubbed: nothing leaves the machine)', async () => {
    const resolve = async () => ['93.184.216.34', '10.0.0.9'];
    expect(await refusedWebhookUrl('https://records.example/hook', only('public'), resolve)).toMatch(/private address/);
    expect(await refusedWebhookUrl('https://records.example/hook', only('public', 'private'), resolve)).toBeUndefined();
  });
});

describe('webhook events', () => {
  it('gives every timeline event type the pipeline records a CloudEvents type', () => {
    const dir = join(__dirname, '..', '..', 'workflows', 'pipeline');
    const recorded = new Set(readdirSync(dir).flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/eventType: '([a-z-]+)'/g)].map((m) => m[1])));
    expect(recorded.size).toBeGreaterThan(30);
    expect([...recorded].filter((t) => !WEBHOOK_EVENT_TYPES[t])).toEqual([]);
  });

  it('matches filters by type and prefix', () => {
    expect(filterMatches('case.*', 'case.decided')).toBe(true);
    expect(filterMatches('case.early-advice.*', 'case.early-advice.requested')).toBe(true);
    expect(filterMatches('case.early-advice.*', 'case.decided')).toBe(false);
    expect(filterMatches('case.decided', 'case.decided')).toBe(true);
    expect(filterIsKnown('case.decided')).toBe(true);
    expect(filterIsKnown('case.nonsense')).toBe(false);
    expect(filterIsKnown('case.nonsense.*')).toBe(false);
  });

  it('lets ids, codes and times out and keeps free text and unknown fields back', () => {
    expect(safeDetails({
      requestId: '6f1c1d1e-5a4b-4c3d-8e2f-1a2b3c4d5e6f', reasons: ['insufficient-material', 'Named Person Here'], outcomeCode: 16, late: true,
      dueAt: '2026-12-01T10:00:00.000Z', kind: 'phone call to Zephyrine', name: 'Zephyrine', summary: 'free text',
    })).toEqual({ requestId: '6f1c1d1e-5a4b-4c3d-8e2f-1a2b3c4d5e6f', reasons: ['insufficient-material'], outcomeCode: 16, late: true, dueAt: '2026-12-01T10:00:00.000Z' });
    const envelope = cloudEventOf(outboxEventId('case-x:2'), '6f1c1d1e-5a4b-4c3d-8e2f-1a2b3c4d5e6f', 'fixture-force', 2, {
      type: 'cps-nfa', actorId: '7f1c1d1e-5a4b-4c3d-8e2f-1a2b3c4d5e6f', actorRole: 'cps', fromStage: 'cps-review', toStage: 'nfa-confirmed',
      reason: 'evidential: Zephyrine Testvictim said…', data: { outcomeCode: 15 }, occurredAt: '2026-12-01T10:00:00Z',
    });
    expect(envelope).toMatchObject({ specversion: '1.0', type: 'case.decided', subject: '6f1c1d1e-5a4b-4c3d-8e2f-1a2b3c4d5e6f', time: '2026-12-01T10:00:00.000Z', data: { decision: 'cps-nfa', stage: 'nfa-confirmed', details: { outcomeCode: 15 } } });
    expect(JSON.stringify(envelope)).not.toContain('Zephyrine');
    expect(outboxEventId('case-x:2')).toBe(outboxEventId('case-x:2'));
    expect(outboxEventId('case-x:2')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('webhook signing secrets', () => {
  const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

  it('seals a secret under the payload keys and opens it again', () => {
    const secret = newSigningSecret();
    const sealed = sealSecret(secret, keys);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(sealed, `k2:${Buffer.alloc(32, 9).toString('base64')},${keys}`)).toBe(secret);
  });

  it('signs with every secret in force, each verifiable by the standardwebhooks library', () => {
    const [older, newer, other] = [newSigningSecret(), newSigningSecret(), newSigningSecret()];
    const body = JSON.stringify({ id: 'x' });
    const headers = signedHeaders('msg-1', body, [newer, older]);
    expect(new Webhook(newer).verify(body, headers)).toEqual({ id: 'x' });
    expect(new Webhook(older).verify(body, headers)).toEqual({ id: 'x' });
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
    expect(() => new Webhook(older).verify(body, signedHeaders('msg-1', body, [newer]))).toThrow();
  });
});
