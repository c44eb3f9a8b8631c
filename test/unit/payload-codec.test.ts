import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, parsePayloadKeys } from '../../infra/payload-codec';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('AES-GCM payload codec', () => {
  const payload = defaultPayloadConverter.toPayload({ urn: '45XY1234526', note: 'synthetic' });

  it('encrypts so the plain text is not in the stored bytes, and decrypts back', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(key('k1')));
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded.data!).includes(Buffer.from('45XY1234526'))).toBe(false);
    expect(Buffer.from(encoded.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ urn: '45XY1234526', note: 'synthetic' });
  });

  it('keeps payloads written under a retired key readable after rotation', async () => {
    const old = key('2026-01');
    const [written] = await new AesGcmPayloadCodec(parsePayloadKeys(old)).encode([payload]);
    const rotated = new AesGcmPayloadCodec(parsePayloadKeys(`${key('2026-07')},${old}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([written]))[0])).toEqual({ urn: '45XY1234526', note: 'synthetic' });
    const [fresh] = await rotated.encode([payload]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('2026-07');
  });

  it('refuses tampered ciphertext and unknown keys', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(key('k1')));
    const [encoded] = await codec.encode([payload]);
    const tampered = { ...encoded, data: Buffer.from(encoded.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    await expect(new AesGcmPayloadCodec(parsePayloadKeys(key('k2'))).decode([encoded])).rejects.toThrow(/no payload key with id "k1"/);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => parsePayloadKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
