import { Body, Controller, Get, HttpCode, Inject, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { type Claims, Public } from '../../api/auth/principal';
import { ReachResolver } from '../../api/auth/reach';
import { ApiError } from '../../api/common/api-error';
import { FailedAuthLimiter } from '../../api/hardening/failed-auth';
import { DATA_SOURCE } from '../../api/infrastructure/tokens';
import { CpsArea, Force, Person } from '../../db/entities';
import type { Role } from '../../workflows/contracts';
import { FormRejected } from '../common/page-error.filter';
import { OIDC_SIGN_INS, type OidcSignIn } from './oidc-sign-in';
import { WEB_SETTINGS, type WebSettings } from '../web-settings';

/** The roles that sign in to the pages: staff, and the independent members of scrutiny panels. */
const PEOPLE_ROLES: Role[] = ['officer', 'supervisor', 'cps', 'panel'];

/**
 * Signing in and out. Production: the OIDC provider of the person's force or CPS area, one button each when a region
 * trusts several (authorisation code with PKCE; the provider chosen is kept in the session with the PKCE verifier, so
 * one callback serves them all). The local stack: a page to choose a demo person, there only when DEMO_SIGN_IN is set
 * (refused at boot in production). Failed sign-ins count towards the same per-address limit as failed API tokens, and
 * past it are refused while real ones still pass; a new session id is issued at every sign-in.
 */
@ApiExcludeController()
@Public()
@Controller()
export class SignInController {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(WEB_SETTINGS) private readonly settings: WebSettings,
    private readonly failures: FailedAuthLimiter,
    private readonly reach: ReachResolver,
    @Inject(OIDC_SIGN_INS) private readonly oidc: readonly OidcSignIn[],
  ) {}

  @Get('sign-in')
  @Render('pages/sign-in.njk')
  async page(@Req() req: Request) {
    return this.model(req);
  }

  @Post('sign-in/demo')
  @HttpCode(303)
  @Redirect()
  async demo(@Req() req: Request, @Body() body: { personId?: unknown }) {
    if (!this.settings.demoSignIn) throw ApiError.notFound('That page');
    const personId = typeof body.personId === 'string' ? body.personId : '';
    const person = /^[0-9a-f-]{36}$/i.test(personId) ? await this.db.getRepository(Person).findOneBy({ id: personId }) : null;
    const roles = (person?.roles ?? []).filter((r): r is Role => PEOPLE_ROLES.includes(r as Role));
    if (!person || !person.active || !roles.length) {
      throw this.tooManyFailures(req, personId || undefined)
        ?? new FormRejected('pages/sign-in.njk', await this.model(req), 422, 'Choose who to sign in as.', [{ field: 'personId', problem: 'choose a person from the list' }]);
    }
    return { url: await this.signIn(req, { id: person.id, roles, unit: person.unit ?? '' }, { name: person.name, rank: person.rank }), statusCode: 303 };
  }

  /**
   * Off to the chosen provider (`?provider=<key>`, which only the sign-in page's buttons name; optional when there is
   * one), with a PKCE verifier, state, nonce and the provider's key kept in the session for the way back. A GET, as
   * before: it changes nothing but the pending attempt, and the state ties the callback to this session.
   */
  @Get('sign-in/oidc')
  @Redirect()
  async startOidc(@Req() req: Request, @Query('provider') key?: unknown) {
    if (key === undefined && this.oidc.length > 1) return { url: '/sign-in', statusCode: 303 };
    const provider = key === undefined ? this.oidc[0] : this.oidc.find((p) => p.key === key);
    if (!provider) throw ApiError.notFound('That page');
    const { url, pending } = await provider.start();
    req.session.oidc = { ...pending, provider: provider.key };
    return { url, statusCode: 303 };
  }

  @Get('sign-in/callback')
  @Redirect()
  async callback(@Req() req: Request) {
    const pending = req.session.oidc;
    // Only the provider this session set off to may answer: a code from another provider is never redeemed.
    const provider = pending && this.oidc.find((p) => p.key === pending.provider);
    if (!pending || !provider) return { url: '/sign-in', statusCode: 303 };
    delete req.session.oidc;
    let claims: Claims & { name?: string };
    try {
      claims = await provider.finish(req.originalUrl, pending);
      // The same rule as every later page (the claims carry the provider's issuer): a provider vouching for another
      // force or area than the directory's is refused.
      await this.reach.resolve(claims);
    } catch {
      throw this.tooManyFailures(req)
        ?? new FormRejected('pages/sign-in.njk', await this.model(req), 401, 'Sign-in did not complete. Try again; if it keeps failing, ask your system administrator to check your account carries a role and a unit.');
    }
    const person = await this.db.getRepository(Person).findOneBy({ id: claims.id });
    return { url: await this.signIn(req, claims, { name: person?.name ?? claims.name ?? 'Signed in', rank: person?.rank ?? '' }), statusCode: 303 };
  }

  /** Ends the session here (the provider's own session is the provider's). */
  @Post('sign-out')
  @HttpCode(303)
  @Redirect()
  async signOut(@Req() req: Request) {
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    return { url: '/sign-in?signed-out=1', statusCode: 303 };
  }

  /**
   * A failed sign-in: counted (undefined: show why it failed), or 429 with Retry-After once its address or claimed
   * person is over the limit. Only failures are refused, as the API's guard refuses only bad tokens: many staff sign in
   * from one proxy address, and refusing real sign-ins too would let anyone lock a whole station out.
   */
  private tooManyFailures(req: Request, subject?: string): ApiError | undefined {
    const address = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
    const wait = this.failures.blockedFor(address, subject);
    if (wait === undefined) {
      this.failures.recordFailure(address, subject);
      return undefined;
    }
    req.res?.setHeader('Retry-After', String(wait));
    return ApiError.tooManyRequests('Too many failed sign-in attempts; wait a minute and try again.');
  }

  /** A fresh session id for the signed-in person (no fixation), then where they were going. */
  private async signIn(req: Request, principal: Claims, display: { name: string; rank: string }): Promise<string> {
    const returnTo = req.session.returnTo;
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err as Error) : resolve())));
    req.session.principal = { id: principal.id, roles: principal.roles, unit: principal.unit, ...(principal.issuer ? { issuer: principal.issuer } : {}) };
    req.session.signedInAt = Date.now();
    req.session.display = display;
    // A panel member who is not also staff has no work list: their panels are where they start.
    const home = principal.roles.some((r) => r === 'officer' || r === 'supervisor' || r === 'cps') || !principal.roles.includes('panel') ? '/' : '/panels';
    return returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : home;
  }

  private async model(req: Request) {
    const people = this.settings.demoSignIn
      ? await this.db.getRepository(Person).find({ where: { active: true, organisation: In(['police', 'cps', 'independent']) }, order: { organisation: 'DESC', name: 'ASC' }, take: 200 })
      : [];
    return {
      pageTitle: 'Sign in',
      demo: this.settings.demoSignIn,
      oidc: this.oidc.length > 0,
      providers: this.oidc.length > 1 ? await this.providerButtons() : [],
      signedOut: req.query['signed-out'] === '1',
      people: people.filter((p) => p.roles.some((r) => PEOPLE_ROLES.includes(r as Role)))
        .map((p) => ({ value: p.id, text: p.name, hint: { text: `${p.rank}, ${p.organisation === 'cps' ? 'CPS' : p.organisation === 'independent' ? 'independent' : 'police'}${p.unit ? `, ${p.unit}` : ''}: ${p.roles.join(', ')}` } })),
    };
  }

  /** One button per provider, named as configured, else by the directory's name of its force or area, else its host. */
  private async providerButtons(): Promise<{ name: string; href: string }[]> {
    const ids = (pick: (p: OidcSignIn) => string | undefined) => this.oidc.map(pick).filter((id): id is string => !!id);
    const [forces, areas] = await Promise.all([
      this.db.getRepository(Force).findBy({ id: In(ids((p) => p.settings.forceId)) }),
      this.db.getRepository(CpsArea).findBy({ id: In(ids((p) => p.settings.areaId)) }),
    ]);
    const names = new Map([...forces, ...areas].map((o) => [o.id, o.name]));
    return this.oidc.map(({ key, settings }) => ({
      name: settings.name ?? names.get(settings.forceId ?? settings.areaId ?? '') ?? new URL(settings.issuer).host,
      href: `/sign-in/oidc?provider=${encodeURIComponent(key)}`,
    }));
  }
}
