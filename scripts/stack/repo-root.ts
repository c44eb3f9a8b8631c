import { basename, resolve } from 'node:path';

/** The repository: compiled, scripts/stack's files are under dist/scripts/stack; run from source (ts-jest), under scripts/stack. */
export const REPO_ROOT = basename(resolve(__dirname, '..', '..')) === 'dist' ? resolve(__dirname, '..', '..', '..') : resolve(__dirname, '..', '..');
