import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';

const WINDOW_MS = 60_000;
/** About 150 bytes a key: the table never holds much more than a megabyte. */
const MAX_TRACKED_KEYS = 10_000;
/** Longer than any IPv6 address; a forwarded address is header text and may be anything. */
const MAX_ADDRESS_LENGTH = 64;

export interface FailedAuthLimits {
  failuresPerMinute: number;
  maxTrackedKeys?: number;
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
}

interface FailureWindow {
  startedAt: number;
  failures: number;
}

interface FailureKey {
  key: string;
  /** How the key appears in the burst warning: never a raw subject, which may be anyone's id or any text. */
  label: string;
}

/**
 * Failed authentication, counted per source address and, apart, per claimed subject, in a one-minute window that
 * opens at the first failure: at `failuresPerMinute` failures the address (or subject) is refused until that window
 * ends. Used by the API's auth guard and the web sign-in page.
 *
 * In memory, one per API process: like the throttler, each API replica counts on its own, so N replicas allow up to
 * N times the limit.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly logger = new Logger(FailedAuthLimiter.name);
  /** Kept in order of window start, oldest first: a window that restarts is moved to the end. */
  private readonly windows = new Map<string, FailureWindow>();
  private readonly limit: number;
  private readonly maxTrackedKeys: number;
  private readonly now: () => number;

  constructor(limits: FailedAuthLimits) {
    this.limit = limits.failuresPerMinute;
    this.maxTrackedKeys = limits.maxTrackedKeys ?? MAX_TRACKED_KEYS;
    this.now = limits.now ?? Date.now;
  }

  /** Seconds until this address and subject may try again (the longer of the two), or undefined when neither is blocked. */
  blockedFor(address: string, subject?: string): number | undefined {
    const now = this.now();
    let wait: number | undefined;
    for (const { key } of failureKeys(address, subject)) {
      const window = this.windows.get(key);
      if (!window || window.failures < this.limit) continue;
      const remainingMs = window.startedAt + WINDOW_MS - now;
      if (remainingMs > 0) wait = Math.max(wait ?? 0, Math.ceil(remainingMs / 1000));
    }
    return wait;
  }

  /** Counts one failure; the failure that reaches the limit logs the burst once, whatever follows in that window. */
  recordFailure(address: string, subject?: string): void {
    const now = this.now();
    const reached = failureKeys(address, subject).filter(({ key }) => {
      const window = this.openWindow(key, now);
      window.failures += 1;
      return window.failures === this.limit;
    });
    if (reached.length) {
      this.logger.warn(`failed authentication burst: ${this.limit} failures within a minute ${reached.map((k) => k.label).join(' and ')}; refused until the minute ends`);
    }
  }

  private openWindow(key: string, now: number): FailureWindow {
    const current = this.windows.get(key);
    if (current && now - current.startedAt < WINDOW_MS) return current;
    this.windows.delete(key);
    this.makeRoom(now);
    const fresh = { startedAt: now, failures: 0 };
    this.windows.set(key, fresh);
    return fresh;
  }

  /**
   * Drops ended windows (all at the front) and, if the table is still full, the oldest live one: it is the nearest
   * its end anyway, and filling the table within a minute takes hundreds of addresses each spending its own failures.
   */
  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt < WINDOW_MS && this.windows.size < this.maxTrackedKeys) break;
      this.windows.delete(key);
    }
  }
}

/** The `sub` a bearer token claims, read without verifying it (only to count failures against); garbage claims none. */
export function claimedSubject(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const { sub } = decodeJwt(token);
    return typeof sub === 'string' && sub ? sub : undefined;
  } catch {
    return undefined;
  }
}

function failureKeys(address: string, subject?: string): FailureKey[] {
  const shownAddress = address.slice(0, MAX_ADDRESS_LENGTH);
  const keys = [{ key: `address:${shownAddress}`, label: `from address ${shownAddress}` }];
  if (subject) {
    // Hashed: the key stays small whatever the token claims, and the warning names no one.
    const digest = createHash('sha256').update(subject).digest('hex');
    keys.push({ key: `subject:${digest}`, label: `for subject #${digest.slice(0, 12)}` });
  }
  return keys;
}
