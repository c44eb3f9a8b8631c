import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEPLOYMENT_VARIABLES } from '../../infra/config';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked by parsing:
 * the services exist, images are pinned, ports are published, and the app services get
 * exactly the deployment variables, pointed at the right services.
 */

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { published?: string | number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};

/** Environment as a map, whichever of the two compose syntaxes (map or KEY=value list) is used. */
function environmentOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Host ports a service publishes: "host:container", "ip:host:container" or the long syntax. */
function publishedPorts(name: string): number[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return Number(port.published);
    const parts = String(port).split('/')[0].split(':');
    return Number(parts.length === 1 ? parts[0] : parts[parts.length - 2]);
  });
}

function commandOf(name: string): string {
  const command = service(name).command;
  return Array.isArray(command) ? command.join(' ') : String(command ?? '');
}

function dependencyCondition(name: string, on: string): string | undefined {
  const deps = service(name).depends_on;
  if (!deps) return undefined;
  if (Array.isArray(deps)) return deps.includes(on) ? 'service_started' : undefined;
  return deps[on] ? (deps[on].condition ?? 'service_started') : undefined;
}

const APP_SERVICES = ['api', 'worker', 'migrate'] as const;
const COMMANDS: Record<(typeof APP_SERVICES)[number], { command: string; source: string }> = {
  api: { command: 'node dist/api/main.js', source: 'api/main.ts' },
  worker: { command: 'node dist/worker/main.js', source: 'worker/main.ts' },
  migrate: { command: 'node dist/db/cli.js migrate', source: 'db/cli.ts' },
};

describe('docker-compose.yml', () => {
  it('defines the expected services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining([
      'postgres', 'temporal-admin-tools', 'temporal', 'temporal-create-namespace', 'temporal-ui',
      'mailpit', 'app-db-init', 'migrate', 'worker', 'api',
    ]));
  });

  it('pins every image to an explicit tag other than latest', () => {
    const unpinned = Object.entries(services)
      .filter(([, s]) => s.image !== undefined)
      .filter(([, s]) => {
        const image = s.image!.split('@')[0];
        const tag = image.lastIndexOf(':') > image.lastIndexOf('/') ? image.slice(image.lastIndexOf(':') + 1) : '';
        return tag === '' || tag === 'latest';
      })
      .map(([name, s]) => `${name}: ${s.image}`);
    expect(unpinned).toEqual([]);
  });

  it('publishes the documented ports', () => {
    expect(publishedPorts('api')).toContain(3000);
    expect(publishedPorts('temporal')).toContain(7233);
    expect(publishedPorts('temporal-ui')).toContain(8233);
    expect(publishedPorts('mailpit')).toEqual(expect.arrayContaining([1025, 8025]));
    expect(publishedPorts('postgres')).toContain(5432);
  });

  it.each(APP_SERVICES)('%s carries exactly the deployment variables', (name) => {
    expect(Object.keys(environmentOf(name)).sort()).toEqual([...DEPLOYMENT_VARIABLES].sort());
  });

  it.each(APP_SERVICES)('%s runs its own entry point from the app image', (name) => {
    expect(commandOf(name)).toBe(COMMANDS[name].command);
    expect(service(name).image).toBe('precharge-orchestrator:local');
  });

  it('builds the app image from the repository Dockerfile', () => {
    expect(service('migrate').build).toBe('.');
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
  });

  it('points the app at the postgres, temporal and mailpit services', () => {
    const env = environmentOf('api');
    const database = new URL(env.DATABASE_URL);
    expect(database.protocol).toBe('postgres:');
    expect(database.hostname).toBe('postgres');
    expect(database.pathname).toBe('/precharge');
    expect(env.TEMPORAL_ADDRESS.split(':')[0]).toBe('temporal');
    expect(new URL(env.SMTP_URL).hostname).toBe('mailpit');
    for (const host of ['postgres', 'temporal', 'mailpit']) expect(services).toHaveProperty([host]);
  });

  it('requires PAYLOAD_KEYS rather than shipping a default key', () => {
    expect(environmentOf('api').PAYLOAD_KEYS).toMatch(/^\$\{PAYLOAD_KEYS:\?.+\}$/);
  });

  it('starts the api and worker only after migrate has completed', () => {
    for (const name of ['api', 'worker']) {
      expect(dependencyCondition(name, 'migrate')).toBe('service_completed_successfully');
      expect(dependencyCondition(name, 'temporal')).toBeDefined();
    }
    expect(dependencyCondition('migrate', 'app-db-init')).toBe('service_completed_successfully');
    expect(dependencyCondition('worker', 'mailpit')).toBeDefined();
    expect(dependencyCondition('api', 'worker')).toBeDefined();
  });

  it.each(APP_SERVICES)('%s entry point has a source file in the repository', (name) => {
    const source = COMMANDS[name].source;
    expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
  });
});
