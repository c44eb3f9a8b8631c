import type { RunningSystem } from './system';

/** The session cookie's name (web/setup/session.ts). */
export const SESSION_COOKIE = 'precharge.sid';

/** Where the pages are: the system's origin, without the API's `/api`. */
export const pageOrigin = (system: Pick<RunningSystem, 'baseUrl'>): string => system.baseUrl.replace(/\/api$/, '');

export interface PageResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The Location of a redirect (never followed), else null. */
  location: string | null;
  /** Every Set-Cookie header of the response, raw. */
  setCookies: string[];
}

/** The value of a page's first `<input name="_csrf">`, if it has one. */
export function csrfTokenIn(html: string): string | undefined {
  const input = html.match(/<input\b[^>]*\bname="_csrf"[^>]*>/)?.[0];
  return input?.match(/\bvalue="([^"]*)"/)?.[1];
}

/**
 * A browser without a browser: one cookie jar over fetch, redirects left for the test to see. Posts are urlencoded and
 * carry the CSRF token of the last page that had one (fetching /sign-in for one when none is known yet), unless the
 * test says otherwise.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  private csrf?: string;

  constructor(readonly origin: string, private readonly headers: Record<string, string> = {}) {}

  /** The raw `precharge.sid` value the jar holds (`s%3A<sid>.<signature>`). */
  get sessionCookie(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  /** Replaces the jar's session cookie (to replay an old or forged one); undefined drops it. */
  useSessionCookie(value: string | undefined): void {
    if (value === undefined) this.cookies.delete(SESSION_COOKIE);
    else this.cookies.set(SESSION_COOKIE, value);
    this.csrf = undefined;
  }

  /** The CSRF token the next post would carry, fetching a page for it when none is known. */
  async csrfToken(): Promise<string> {
    if (!this.csrf) await this.get('/sign-in');
    if (!this.csrf) throw new Error('no page offered a CSRF token (is anyone signed in, or DEMO_SIGN_IN on?)');
    return this.csrf;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** `csrf`: the token to send (default: the current one); null sends none. */
  async post(path: string, form: Record<string, string> = {}, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<PageResponse> {
    const csrf = opts.csrf === undefined ? await this.csrfToken() : opts.csrf;
    const body = new URLSearchParams({ ...form, ...(csrf === null ? {} : { _csrf: csrf }) }).toString();
    return this.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers });
  }

  /** A form with a file (multipart, none when `file` is undefined), as a browser sends a file upload; carries the CSRF token unless `csrf: null`. */
  async postFile(path: string, fields: Record<string, string>, file: { field: string; name: string; content: string; type: string } | undefined, opts: { csrf?: string | null } = {}): Promise<PageResponse> {
    const csrf = opts.csrf === undefined ? await this.csrfToken() : opts.csrf;
    const form = new FormData();
    if (csrf !== null) form.set('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    if (file) form.set(file.field, new Blob([file.content], { type: file.type }), file.name);
    return this.request('POST', path, form, {});
  }

  /** The demo sign-in (DEMO_SIGN_IN on): the sign-in page for its token, then the form posted as that person. */
  async signInAs(personId: string): Promise<PageResponse> {
    const page = await this.get('/sign-in');
    if (page.status !== 200) throw new Error(`GET /sign-in answered ${page.status}`);
    return this.post('/sign-in/demo', { personId });
  }

  private async request(method: string, path: string, body: string | FormData | undefined, headers: Record<string, string>): Promise<PageResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(new URL(path, this.origin), {
      method, body, redirect: 'manual',
      headers: { ...this.headers, ...(cookie ? { cookie } : {}), ...headers },
    });
    const setCookies = res.headers.getSetCookie();
    for (const header of setCookies) this.keep(header);
    const text = await res.text();
    const token = csrfTokenIn(text);
    if (token) this.csrf = token;
    return { status: res.status, headers: res.headers, body: text, location: res.headers.get('location'), setCookies };
  }

  private keep(setCookie: string): void {
    const [pair] = setCookie.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    // A new session has its own token: the one scraped under the old session would be refused.
    if (name === SESSION_COOKIE && value !== this.cookies.get(name)) this.csrf = undefined;
    this.cookies.set(name, value);
  }
}

/** A client signed in through the demo sign-in as `personId`; throws unless the sign-in redirected. */
export async function signedInClient(origin: string, personId: string, headers?: Record<string, string>): Promise<WebClient> {
  const client = new WebClient(origin, headers);
  const res = await client.signInAs(personId);
  if (res.status !== 303) throw new Error(`demo sign-in answered ${res.status}`);
  return client;
}

/** One Set-Cookie header by cookie name, with its attributes parsed (names lower-cased; flags map to true). */
export function parseSetCookie(headers: string[], name: string): { value: string; attributes: Record<string, string | true> } | undefined {
  const header = headers.find((h) => h.startsWith(`${name}=`));
  if (!header) return undefined;
  const [pair, ...parts] = header.split(';').map((p) => p.trim());
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at < 0) attributes[part.toLowerCase()] = true;
    else attributes[part.slice(0, at).toLowerCase()] = part.slice(at + 1);
  }
  return { value: pair.slice(name.length + 1), attributes };
}
