/** One sample of a Prometheus text exposition: metric name, labels, value. */
export interface Sample { name: string; labels: Record<string, string>; value: number }

/** The samples of a Prometheus text exposition (comments and HELP/TYPE lines left out). */
export function parsePrometheus(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) return [];
    const labels = Object.fromEntries([...(m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
    return [{ name: m[1], labels, value: Number(m[4]) }];
  });
}

/** The value of the one sample of `name` whose labels include `labels`; 0 when there is none (a gauge not yet set). */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}
