import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, Logger } from 'sass';
import { ASSETS_BUILT, ASSETS_SOURCE, ROOT } from '../setup/paths';

export const STYLESHEET = join(ASSETS_BUILT, 'app.css');

/** Compiles web/assets/app.scss (GOV.UK Frontend + MoJ Frontend, system fonts) into dist/web/assets/app.css. */
export function buildStyles(): string {
  const { css } = compile(join(ASSETS_SOURCE, 'app.scss'), {
    // MoJ Frontend imports GOV.UK Frontend as "node_modules/govuk-frontend/…", relative to the project root.
    loadPaths: [ROOT, join(ROOT, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    // GOV.UK Frontend warns about its own deprecations inside MoJ Frontend's styles; nothing for us to act on.
    logger: Logger.silent,
    silenceDeprecations: ['import', 'global-builtin'],
  });
  mkdirSync(ASSETS_BUILT, { recursive: true });
  writeFileSync(STYLESHEET, css);
  return STYLESHEET;
}

/** The stylesheet, compiled once if the build has not made it (tests run from source). */
export function ensureStyles(): string {
  return existsSync(STYLESHEET) ? STYLESHEET : buildStyles();
}

if (require.main === module) {
  const started = Date.now();
  buildStyles();
  console.log(`styles built in ${Date.now() - started} ms`);
}
