import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from source (ts-jest) or from dist/ alike: the nearest folder up with a package.json. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = findRoot(__dirname);
/** Templates and styles are read from source, so dist/ needs only the compiled code and the built stylesheet. */
export const VIEWS = join(ROOT, 'web', 'views');
export const ASSETS_SOURCE = join(ROOT, 'web', 'assets');
/** Where the compiled stylesheet goes (the build writes it; the app compiles it on first start if missing). */
export const ASSETS_BUILT = join(ROOT, 'dist', 'web', 'assets');
export const GOVUK_FRONTEND = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const MOJ_FRONTEND = dirname(require.resolve('@ministryofjustice/frontend/package.json'));
