import { Body, Controller, Get, HttpCode, Inject, Optional, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { type Claims, Public } from '../../api/auth/principal';
import { ReachResolver } from '../../api/auth/reach';
import { ApiError } from '../../api/common/api-error';
import { FailedAuthLimiter } from '../../api/hardening/failed-auth';
import { DATA_SOURCE } from '../../api/infrastructure/tokens';
import { Person } from '../../db/entities';
import type { Role } from '../../workflows/contracts';
import { FormRejected } from '../common/page-error.filter';
import { OidcSignIn } from './oidc-sign-in';
import { WEB_SETTINGS, type WebSettings } from '../web-settings';

const PEOPLE_ROLES: Role[] = ['officer', 'supervisor', 'cps'];

/**
 * Signing in and out. Production: the force's OIDC provider (authorisation code with PKCE). The local stack: a page
 * to choose a demo person, there only when DEMO_SIGN_IN is set (refused at boot in production). Failed sign-ins count
 * towards the same per-address limit as failed API tokens, and past it are refused while real ones still pass; a new
 * session id is issued at every sign-in.
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
    @Optional() private readonly oidc?: OidcSignIn,
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

  /** Off to the force's provider, with a PKCE verifier, state and nonce kept in the session for the way back. */
  @Get('sign-in/oidc')
  @Redirect()
  async startOidc(@Req() req: Request) {
    if (!this.oidc) throw ApiError.notFound('That page');
    const { url, pending } = await this.oidc.start();
    req.session.oidc = pending;
    return { url, statusCode: 303 };
  }

  @Get('sign-in/callback')
  @Redirect()
  async callback(@Req() req: Request) {
    const pending = req.session.oidc;
    if (!this.oidc || !pending) return { url: '/sign-in', statusCode: 303 };
    delete req.session.oidc;
    let claims: Claims & { name?: string };
    try {
      claims = await this.oidc.finish(req.originalUrl, pending);
      // The same rule as every later page: a provider vouching for another force than the directory's is refused.
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
    return returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  }

  private async model(req: Request) {
    const people = this.settings.demoSignIn
      ? await this.db.getRepository(Person).find({ where: { active: true, organisation: In(['police', 'cps']) }, order: { organisation: 'DESC', name: 'ASC' }, take: 200 })
      : [];
    return {
      pageTitle: 'Sign in',
      demo: this.settings.demoSignIn,
      oidc: !!this.oidc,
      signedOut: req.query['signed-out'] === '1',
      people: people.filter((p) => p.roles.some((r) => PEOPLE_ROLES.includes(r as Role)))
        .map((p) => ({ value: p.id, text: p.name, hint: { text: `${p.rank}, ${p.organisation === 'cps' ? 'CPS' : 'police'}${p.unit ? `, ${p.unit}` : ''}: ${p.roles.join(', ')}` } })),
    };
  }
}
