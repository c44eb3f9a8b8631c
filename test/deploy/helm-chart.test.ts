import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Environment } from '../../infra/config';
import { TASK_QUEUE } from '../../workflows/contracts';

/**
 * The Helm chart under deploy/helm/precharge, rendered by the real `helm template` (built from its pinned Go module by
 * `npm test`, scripts/toolchain/lib.sh `locate_helm` / `ensure_helm`) and checked structurally: no cluster runs here, so what is
 * checked is what the chart would hand one. A missing helm fails this file; it never skips.
 */

const root = join(__dirname, '..', '..');
const chart = join(root, 'deploy', 'helm', 'precharge');
const SECRET = 'precharge-secrets';

/** HELM, else the pinned version's cache path (the version lives in lib.sh), else helm on PATH, as locate_helm in lib.sh resolves it. */
function helmBinary(): string {
  if (process.env.HELM) return process.env.HELM;
  const version = /^HELM_VERSION=(\S+)$/m.exec(readFileSync(join(root, 'scripts', 'toolchain', 'lib.sh'), 'utf8'))?.[1];
  const cache = process.env.PRECHARGE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'precharge');
  const cached = join(cache, `helm-${version}`, 'helm');
  if (existsSync(cached)) return cached;
  // As locate_helm does: a helm already installed; its major version is checked below.
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'helm')).find((file) => existsSync(file));
  return onPath ?? cached;
}

const helm = helmBinary();
// helm keeps caches and config under HOME by default: a scratch home keeps the run from touching the user's.
const helmHome = mkdtempSync(join(tmpdir(), 'precharge-helm-'));
afterAll(() => rmSync(helmHome, { recursive: true, force: true }));

function runHelm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HELM_CACHE_HOME: join(helmHome, 'cache'), HELM_CONFIG_HOME: join(helmHome, 'config'), HELM_DATA_HOME: join(helmHome, 'data') },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const setArgs = (sets: Record<string, string>) => Object.entries(sets).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

/** Rendered YAML, parsed: the checks below walk it as plain data. */
type Tree = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Manifest { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Tree; data?: Record<string, string> }

/** `helm template` of the chart with the Secret's name and any extra --set; throws with helm's own message on failure. */
function render(sets: Record<string, string> = {}): Manifest[] {
  const out = runHelm(['template', 'rasso', chart, '--namespace', 'precharge', ...setArgs({ 'secret.existingSecret': SECRET, ...sets })]);
  if (out.status !== 0) throw new Error(`helm template failed: ${out.stderr}`);
  return parseAllDocuments(out.stdout).map((d) => d.toJS() as Manifest).filter(Boolean);
}

/** A render that must be refused: returns helm's error output. */
function refused(sets: Record<string, string | undefined>): string {
  const base: Record<string, string | undefined> = { 'secret.existingSecret': SECRET, ...sets };
  const args = Object.entries(base).filter(([, v]) => v !== undefined).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const out = runHelm(['template', 'rasso', chart, ...args]);
  expect(out.status).not.toBe(0);
  return out.stderr;
}

const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
const one = (ms: Manifest[], kind: string, name: string): Manifest => {
  const found = ms.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length} among ${ms.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found[0];
};
const podSpec = (m: Manifest) => m.spec.template.spec;
const container = (m: Manifest): Tree => { expect(podSpec(m).containers).toHaveLength(1); return podSpec(m).containers[0]; };
const envOf = (c: Tree): Record<string, Tree> => Object.fromEntries((c.env ?? []).map((e: Tree) => [e.name, e]));

/** Variables that hold secrets: only ever from the Secret. */
const SECRET_VARIABLES = ['DATABASE_URL', 'SMTP_URL', 'PAYLOAD_KEYS', 'SESSION_SECRET', 'JWT_SECRET', 'OIDC_CLIENT_SECRET', 'OIDC_CLIENT_SECRETS', 'METRICS_TOKEN'];
/** What the processes read besides infra/config.ts's Environment (the API's bind address, telemetry). */
const OTHER_VARIABLES = ['HOST', 'WORKER_METRICS_ADDRESS', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'METRICS_TOKEN', 'NODE_OPTIONS'];
const KNOWN_VARIABLES = new Set([...Object.keys(new Environment()), 'DATABASE_URL', 'SMTP_URL', 'PAYLOAD_KEYS', ...OTHER_VARIABLES]);

/** A command from docker-compose.yml, the other deployment of the same image. */
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command: string[] }> };

describe('the Helm chart (deploy/helm/precharge)', () => {
  it('finds the helm binary the test script builds', () => {
    // Fails, never skips, when helm is missing: `npm test` builds it (ensure_helm); HELM names another.
    if (!existsSync(helm)) throw new Error(`no helm at ${helm}: run the tests with \`npm test\` (ensure_helm builds it) or set HELM`);
    expect(runHelm(['version', '--short']).stdout).toMatch(/^v3\./);
  });

  it('passes helm lint --strict', () => {
    const out = runHelm(['lint', chart, '--strict', ...setArgs({ 'secret.existingSecret': SECRET })]);
    expect(`${out.stdout}${out.stderr}`).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(out.status).toBe(0);
  });

  const manifests = () => render();
  const name = 'rasso-precharge';

  it('renders the API, the worker, the migration job and the worker scaler, and no Secret of its own', () => {
    const ms = manifests();
    expect(ms.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      `ConfigMap/${name}`,
      `Deployment/${name}-api`,
      `Deployment/${name}-worker`,
      `Job/${name}-migrations`,
      `PodDisruptionBudget/${name}-api`,
      `ScaledObject/${name}-worker`,
      `Service/${name}-api`,
      `Service/${name}-worker-metrics`,
      `ServiceAccount/${name}`,
    ]);
    expect(ms.some((m) => m.kind === 'Secret')).toBe(false);
  });

  it('runs the same commands as docker-compose.yml and package.json', () => {
    const ms = manifests();
    expect(container(one(ms, 'Deployment', `${name}-api`)).command).toEqual(compose.services.api.command);
    expect(container(one(ms, 'Deployment', `${name}-worker`)).command).toEqual(compose.services.worker.command);
    const migrate = container(one(ms, 'Job', `${name}-migrations`)).command;
    expect(migrate).toEqual(compose.services.migrate.command);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(migrate.join(' ')).toBe(pkg.scripts['migration:run']);
    for (const source of ['api/main.ts', 'worker/main.ts', 'db/cli.ts']) expect(existsSync(join(root, source))).toBe(true);
  });

  it('gates the API on /api/health (start-up and readiness) on the port it listens on, and binds it beyond loopback', () => {
    const api = container(one(manifests(), 'Deployment', `${name}-api`));
    const http = api.ports.find((p: Tree) => p.name === 'http');
    expect(http.containerPort).toBe(values.api.port);
    const env = envOf(api);
    expect(env.PORT.value).toBe(String(values.api.port));
    expect(env.HOST.value).toBe('0.0.0.0');
    for (const probe of [api.startupProbe, api.readinessProbe]) expect(probe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    // /api/health is 503 while PostgreSQL, Temporal or SMTP is down: liveness must not restart pods for that.
    expect(api.livenessProbe.httpGet).toBeUndefined();
    expect(api.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    const service = one(manifests(), 'Service', `${name}-api`);
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    expect(service.spec.selector).toEqual(one(manifests(), 'Deployment', `${name}-api`).spec.selector.matchLabels);
  });

  it('sets resource requests and limits on every container', () => {
    const ms = manifests();
    const workloads = ms.filter((m) => m.kind === 'Deployment' || m.kind === 'Job');
    expect(workloads).toHaveLength(3);
    for (const w of workloads) {
      const { resources } = container(w);
      for (const kind of ['requests', 'limits']) {
        expect({ workload: w.metadata.name, kind, cpu: typeof resources[kind]?.cpu, memory: typeof resources[kind]?.memory })
          .toEqual({ workload: w.metadata.name, kind, cpu: expect.stringMatching(/string|number/), memory: 'string' });
      }
    }
    expect(container(one(ms, 'Deployment', `${name}-worker`)).resources).toEqual(values.worker.resources);
  });

  it('caps each Node heap well under its container\'s memory limit, so the collector works before the kernel kills', () => {
    const ms = manifests();
    const mebibytes = (quantity: string) => Number(/^(\d+)Mi$/.exec(quantity)?.[1] ?? /^(\d+)Gi$/.exec(quantity)?.[1]) * (quantity.endsWith('Gi') ? 1024 : 1);
    // The worker runs two heaps (its main thread and the workflow thread); the API one.
    for (const [part, heaps] of [['api', 1], ['worker', 2]] as const) {
      const c = container(one(ms, 'Deployment', `${name}-${part}`));
      const heap = Number(/^--max-old-space-size=(\d+)$/.exec(envOf(c).NODE_OPTIONS.value)?.[1]);
      expect({ part, heap }).toEqual({ part, heap: values[part].heapMiB });
      expect(heap * heaps).toBeLessThanOrEqual(mebibytes(c.resources.limits.memory) * 0.7);
    }
    const bigger = render({ 'worker.heapMiB': '640' });
    expect(envOf(container(one(bigger, 'Deployment', `${name}-worker`))).NODE_OPTIONS.value).toBe('--max-old-space-size=640');
  });

  it('exposes the worker SDK metrics port for scraping, bound on the pod address', () => {
    const ms = manifests();
    const worker = container(one(ms, 'Deployment', `${name}-worker`));
    expect(worker.ports).toEqual([{ name: 'metrics', containerPort: 9464 }]);
    expect(envOf(worker).WORKER_METRICS_ADDRESS.value).toBe('0.0.0.0:9464');
    const service = one(ms, 'Service', `${name}-worker-metrics`);
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 9464, targetPort: 'metrics' }]);
    expect(service.spec.selector).toEqual(one(ms, 'Deployment', `${name}-worker`).spec.selector.matchLabels);
    // Turned off, the worker is told so and nothing points at the port.
    const off = render({ 'worker.metrics.enabled': 'false' });
    expect(envOf(container(one(off, 'Deployment', `${name}-worker`))).WORKER_METRICS_ADDRESS.value).toBe('off');
    expect(off.some((m) => m.metadata.name === `${name}-worker-metrics`)).toBe(false);
  });

  it('runs the migrations as a pre-install/pre-upgrade hook that needs nothing the release itself creates', () => {
    const job = one(manifests(), 'Job', `${name}-migrations`);
    expect(job.metadata.annotations).toEqual(expect.objectContaining({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    }));
    const spec = podSpec(job);
    expect(spec.restartPolicy).toBe('Never');
    // A pre-install hook runs before the chart's ConfigMap and ServiceAccount exist.
    expect(spec.serviceAccountName).toBeUndefined();
    const c = container(job);
    expect(c.envFrom).toBeUndefined();
    expect(c.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: SECRET, key: 'DATABASE_URL' } } }]);
    expect(render({ 'migrations.enabled': 'false' }).some((m) => m.kind === 'Job')).toBe(false);
  });

  it('scales the worker with KEDA\'s temporal scaler on the task queue it polls, at the Temporal the processes use', () => {
    const ms = manifests();
    const scaled = one(ms, 'ScaledObject', `${name}-worker`);
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `${name}-worker` });
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThanOrEqual(scaled.spec.minReplicaCount);
    expect(scaled.spec.triggers).toHaveLength(1);
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('temporal');
    const config = one(ms, 'ConfigMap', name).data!;
    expect(trigger.metadata).toEqual({
      endpoint: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: TASK_QUEUE,
      queueTypes: 'workflow,activity',
      targetQueueSize: String(values.keda.targetQueueSize),
      activationTargetQueueSize: String(values.keda.activationTargetQueueSize),
    });
    // KEDA owns the count: a replicas field would fight it on every upgrade.
    expect(one(ms, 'Deployment', `${name}-worker`).spec.replicas).toBeUndefined();
    // Another cluster's frontend and namespace reach the processes and the scaler alike.
    const other = render({ 'temporal.address': 'frontend.temporal-prod:7233', 'temporal.namespace': 'rasso-south' });
    expect(one(other, 'ScaledObject', `${name}-worker`).spec.triggers[0].metadata).toEqual(expect.objectContaining({ endpoint: 'frontend.temporal-prod:7233', namespace: 'rasso-south' }));
    expect(one(other, 'ConfigMap', name).data).toEqual(expect.objectContaining({ TEMPORAL_ADDRESS: 'frontend.temporal-prod:7233', TEMPORAL_NAMESPACE: 'rasso-south' }));
    expect(refused({ 'keda.minReplicas': '0' })).toMatch(/keda.minReplicas must be at least 1/);
    const fixed = render({ 'keda.enabled': 'false' });
    expect(fixed.some((m) => m.kind === 'ScaledObject')).toBe(false);
    expect(one(fixed, 'Deployment', `${name}-worker`).spec.replicas).toBe(values.worker.replicas);
  });

  it('takes every secret from the existing Secret by reference, never inline', () => {
    const ms = manifests();
    const config = one(ms, 'ConfigMap', name).data!;
    for (const variable of SECRET_VARIABLES) expect(Object.keys(config)).not.toContain(variable);
    for (const kind of ['api', 'worker']) {
      const c = container(one(ms, 'Deployment', `${name}-${kind}`));
      expect(c.envFrom).toEqual([{ configMapRef: { name } }]);
      const env = envOf(c);
      for (const variable of SECRET_VARIABLES) {
        expect({ variable, value: env[variable]?.value, ref: env[variable]?.valueFrom?.secretKeyRef?.name }).toEqual({ variable, value: undefined, ref: SECRET });
      }
      // Those the processes cannot start without are not optional.
      for (const variable of ['DATABASE_URL', 'SMTP_URL', 'PAYLOAD_KEYS', 'SESSION_SECRET']) expect(env[variable].valueFrom.secretKeyRef.optional).toBeUndefined();
      // Every variable handed over is one the processes read.
      for (const variable of [...Object.keys(env), ...Object.keys(config)]) expect({ variable, known: KNOWN_VARIABLES.has(variable) }).toEqual({ variable, known: true });
    }
    // A secret put in the ConfigMap's values is refused, as is a release with no Secret named.
    expect(refused({ 'config.JWT_SECRET': 'not-here' })).toMatch(/config.JWT_SECRET is a secret/);
    expect(refused({ 'config.DATABASE_URL': 'postgres://u:p@h/db' })).toMatch(/config.DATABASE_URL is a secret/);
    expect(refused({ 'secret.existingSecret': '' })).toMatch(/secret.existingSecret is required/);
    // A key named differently in the Secret is followed.
    const renamed = render({ 'secret.variables[0].name': 'DATABASE_URL', 'secret.variables[0].key': 'database-url' });
    expect(envOf(container(one(renamed, 'Job', `${name}-migrations`))).DATABASE_URL.valueFrom.secretKeyRef.key).toBe('database-url');
    expect(envOf(container(one(renamed, 'Deployment', `${name}-api`))).DATABASE_URL.valueFrom.secretKeyRef.key).toBe('database-url');
  });

  it('pins every container to the image tag from values, and refuses latest or none', () => {
    const images = (ms: Manifest[]) => ms.filter((m) => m.kind === 'Deployment' || m.kind === 'Job').map((m) => container(m).image);
    expect(values.image.tag).toMatch(/^\d+\.\d+\.\d+$/);
    expect(images(manifests())).toEqual(Array(3).fill(`${values.image.repository}:${values.image.tag}`));
    expect(images(render({ 'image.repository': 'registry.example/precharge', 'image.tag': '1.4.2' }))).toEqual(Array(3).fill('registry.example/precharge:1.4.2'));
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(images(render({ 'image.digest': digest }))).toEqual(Array(3).fill(`${values.image.repository}@${digest}`));
    expect(refused({ 'image.tag': 'latest' })).toMatch(/latest is refused/);
    expect(refused({ 'image.tag': '' })).toMatch(/image.tag is required/);
  });

  it('runs as the image\'s unprivileged user on a read-only root, writing only to its scratch volumes', () => {
    for (const m of manifests().filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      expect(podSpec(m).securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 1000 }));
      expect(container(m).securityContext).toEqual(expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }));
      expect(podSpec(m).automountServiceAccountToken).toBe(false);
    }
  });

  it('mounts the policy files from an existing ConfigMap when one is named', () => {
    const ms = render({ 'policy.existingConfigMap': 'rasso-policy', 'config.POLICY_FILE': '/etc/precharge/policy/region.json' });
    for (const kind of ['api', 'worker']) {
      const d = one(ms, 'Deployment', `${name}-${kind}`);
      expect(podSpec(d).volumes).toContainEqual({ name: 'policy', configMap: { name: 'rasso-policy' } });
      expect(container(d).volumeMounts).toContainEqual({ name: 'policy', mountPath: '/etc/precharge/policy', readOnly: true });
    }
    expect(one(ms, 'ConfigMap', name).data!.POLICY_FILE).toBe('/etc/precharge/policy/region.json');
  });

  it('adds ServiceMonitors for /api/metrics and the worker endpoint when asked, with the metrics token by reference', () => {
    const ms = render({ 'serviceMonitor.enabled': 'true' });
    const api = one(ms, 'ServiceMonitor', `${name}-api`);
    expect(api.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/api/metrics' })]);
    expect(api.spec.endpoints[0].authorization).toEqual({ type: 'Bearer', credentials: { name: SECRET, key: 'METRICS_TOKEN', optional: true } });
    const worker = one(ms, 'ServiceMonitor', `${name}-worker`);
    expect(worker.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    for (const [monitor, service] of [[api, `${name}-api`], [worker, `${name}-worker-metrics`]] as const) {
      const labels = one(ms, 'Service', service).metadata.labels!;
      expect(labels).toEqual(expect.objectContaining(monitor.spec.selector.matchLabels));
    }
  });

  it('rolls the pods when the configuration changes', () => {
    const checksum = (ms: Manifest[]) => one(ms, 'Deployment', `${name}-api`).spec.template.metadata.annotations['checksum/config'];
    expect(checksum(manifests())).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(render({ 'config.LOG_LEVEL': 'debug' }))).not.toBe(checksum(manifests()));
  });
});
