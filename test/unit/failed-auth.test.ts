import { Logger } from '@nestjs/common';
import { SignJWT } from 'jose';
import { claimedSubject, FailedAuthLimiter } from '../../api/hardening/failed-auth';

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-11-20T10:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

describe('FailedAuthLimiter', () => {
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => { warnings.push(String(message)); });
  });
  afterEach(() => jest.restoreAllMocks());

  it('blocks an address at the limit until its minute ends, then counts afresh', () => {
    const clock = manualClock();
    const limiter = new FailedAuthLimiter({ failuresPerMinute: 3, now: clock.now });
    for (let i = 0; i < 2; i += 1) limiter.recordFailure('203.0.113.7');
    expect(limiter.blockedFor('203.0.113.7')).toBeUndefined();
    clock.advance(10_000);
    limiter.recordFailure('203.0.113.7');
    expect(limiter.blockedFor('203.0.113.7')).toBe(50);
    expect(limiter.blockedFor('203.0.113.8')).toBeUndefined();

    clock.advance(49_500); // the window opened at the first failure: 500 ms of it left
    expect(limiter.blockedFor('203.0.113.7')).toBe(1);
    clock.advance(500);
    expect(limiter.blockedFor('203.0.113.7')).toBeUndefined();
    limiter.recordFailure('203.0.113.7');
    limiter.recordFailure('203.0.113.7');
    expect(limiter.blockedFor('203.0.113.7')).toBeUndefined();
  });

  it('counts a claimed subject apart from addresses, so guesses spread over many addresses are blocked too', () => {
    const clock = manualClock();
    const limiter = new FailedAuthLimiter({ failuresPerMinute: 3, now: clock.now });
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) limiter.recordFailure(address, 'person-under-attack');
    expect(limiter.blockedFor('198.51.100.4', 'person-under-attack')).toBe(60);
    expect(limiter.blockedFor('198.51.100.4', 'someone-else')).toBeUndefined();
    expect(limiter.blockedFor('198.51.100.4')).toBeUndefined();
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect(limiter.blockedFor(address)).toBeUndefined();
  });

  it('answers the longer wait when both the address and the subject are blocked', () => {
    const clock = manualClock();
    const limiter = new FailedAuthLimiter({ failuresPerMinute: 2, now: clock.now });
    limiter.recordFailure('192.0.2.1', 'subject-a');
    limiter.recordFailure('192.0.2.9', 'subject-a');
    clock.advance(30_000);
    limiter.recordFailure('192.0.2.2');
    limiter.recordFailure('192.0.2.2');
    expect(limiter.blockedFor('192.0.2.2')).toBe(60);
    expect(limiter.blockedFor('192.0.2.5', 'subject-a')).toBe(30);
    expect(limiter.blockedFor('192.0.2.2', 'subject-a')).toBe(60);
  });

  it('logs one warning per burst, naming the address and only a short hash of the subject', () => {
    const limiter = new FailedAuthLimiter({ failuresPerMinute: 3, now: manualClock().now });
    const subject = 'attacker text\nwith a fake log line';
    for (let i = 0; i < 10; i += 1) limiter.recordFailure('203.0.113.7', subject);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^failed authentication burst: 3 failures within a minute from address 203\.0\.113\.7 and for subject #[0-9a-f]{12};/);
    expect(warnings[0]).not.toContain('attacker');
  });

  it('holds at most maxTrackedKeys windows: ended ones go first, then the oldest live one', () => {
    const clock = manualClock();
    const limiter = new FailedAuthLimiter({ failuresPerMinute: 1, maxTrackedKeys: 3, now: clock.now });
    const windows = (limiter as unknown as { windows: Map<string, unknown> }).windows;
    limiter.recordFailure('10.0.0.1');
    clock.advance(1_000);
    limiter.recordFailure('10.0.0.2');
    limiter.recordFailure('10.0.0.3');
    limiter.recordFailure('10.0.0.4');
    expect(windows.size).toBe(3);
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined(); // the oldest, evicted
    expect(limiter.blockedFor('10.0.0.4')).toBe(60);

    clock.advance(60_000); // every window has ended: a new key sweeps them all out
    limiter.recordFailure('10.0.0.5');
    expect([...windows.keys()]).toEqual(['address:10.0.0.5']);

    // An attacker rotating addresses and subjects never grows the table past its cap.
    for (let i = 0; i < 1_000; i += 1) limiter.recordFailure(`10.1.${i >> 8}.${i & 255}`, `subject-${i}`);
    expect(windows.size).toBe(3);
  });

  it('keeps an overlong address short', () => {
    const limiter = new FailedAuthLimiter({ failuresPerMinute: 1, now: manualClock().now });
    limiter.recordFailure('x'.repeat(10_000));
    expect(limiter.blockedFor('x'.repeat(64))).toBe(60);
    expect(warnings[0].length).toBeLessThan(200);
  });
});

describe('claimedSubject', () => {
  it('reads the sub of any well-formed token without verifying it, and none from garbage', async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('claimed-person').sign(new TextEncoder().encode('not-our-secret'));
    expect(claimedSubject(forged)).toBe('claimed-person');
    for (const garbage of [undefined, '', 'not-a-jwt', 'a.b.c', `${forged.split('.')[0]}.e30.`]) expect(claimedSubject(garbage)).toBeUndefined();
  });
});
