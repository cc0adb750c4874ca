/**
 * The container and deployment examples are documentation that runs: each file must parse, and every zakocr command
 * and flag they use must exist in the CLI's --help (no Docker engine or cluster here, so this is the lint we can do).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoRoot, runCli } from '../integration/scan-helpers.js';

/**
 * Commands and flags the examples use that another issue is still building. The last test fails once one of them
 * exists: then delete it here, and the real check covers it.
 */
const PENDING: string[] = [];

const KUBERNETES = ['deploy/kubernetes/accuracy-cronjob.yaml', 'deploy/kubernetes/sharded-scan-job.yaml', 'deploy/kubernetes/worker-deployment.yaml', 'deploy/kubernetes/redis.yaml'];

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
// compose files use `<<:` merge keys, a YAML 1.1 feature the yaml package needs told about
const yamlDocs = (file: string) => parseAllDocuments(read(file), { merge: true }).map((d) => {
  expect(d.errors, `${file}: ${d.errors.join('; ')}`).toEqual([]);
  return d.toJS() as Record<string, unknown>;
});

interface Invocation { where: string; args: string[] }
type Container = { name: string; image?: string; command?: string[]; args?: string[] };

/** Every `zakocr …` the examples run. */
function invocations(): Invocation[] {
  const found: Invocation[] = [];
  const dockerfile = read('Dockerfile');
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (cmd) found.push({ where: 'Dockerfile CMD', args: JSON.parse(cmd[1]) as string[] });
  for (const m of dockerfile.matchAll(/\/opt\/zakocr\/bin\/zakocr((?: [^\s&|;\\]+)*)/g)) found.push({ where: 'Dockerfile RUN', args: m[1].trim().split(/\s+/) });

  const compose = yamlDocs('deploy/compose.yaml')[0] as { services: Record<string, { image?: string; build?: unknown; command?: string[] }> };
  for (const [name, svc] of Object.entries(compose.services)) {
    if (svc.image?.startsWith('zakocr') || svc.build) found.push({ where: `compose ${name}`, args: svc.command ?? [] });
  }
  for (const file of KUBERNETES) {
    for (const doc of yamlDocs(file)) {
      const spec = doc.kind === 'CronJob' ? (doc.spec as any).jobTemplate.spec : (doc.spec as any);
      if (!spec?.template) continue; // a Service, Secret …: runs nothing
      const pod = spec.template.spec as { containers: Container[]; initContainers?: Container[] };
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        if (!c.image?.startsWith('zakocr')) continue;
        expect(c.command, `${file} ${c.name}: leave the image's zakocr entrypoint in place`).toBeUndefined();
        found.push({ where: `${file} ${c.name}`, args: c.args ?? [] });
      }
    }
  }
  return found;
}

const helpCache = new Map<string, Promise<string>>();
function help(command: string[]): Promise<string> {
  const key = command.join(' ');
  if (!helpCache.has(key)) {
    helpCache.set(key, runCli([...command, '--help']).then((r) => {
      if (r.code !== 0) throw new Error(`zakocr ${key} --help exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    }));
  }
  return helpCache.get(key)!;
}

/** Sub-command names listed under "Commands:" in a help text. */
function commandsIn(helpText: string): string[] {
  const block = helpText.split(/^Commands:$/m)[1] ?? '';
  return [...block.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]);
}

const hasFlag = (helpText: string, flag: string) => new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}(?![\\w-])`, 'm').test(helpText);

/** Problems of one invocation: an unknown command, or a flag its command's help does not list. */
async function check(inv: Invocation): Promise<{ problems: string[]; pending: string[] }> {
  const problems: string[] = [];
  const pending: string[] = [];
  const command: string[] = [];
  let rest = [...inv.args];
  for (;;) {
    const subs = commandsIn(await help(command));
    const next = rest[0];
    if (next === undefined || next.startsWith('-') || subs.length === 0) break;
    if (!subs.includes(next)) {
      const name = [...command, next].join(' ');
      if (PENDING.includes(name)) pending.push(name);
      else problems.push(`${inv.where}: no command "zakocr ${name}"`);
      return { problems, pending };
    }
    command.push(next);
    rest = rest.slice(1);
  }
  const text = await help(command);
  for (const token of rest.filter((t) => /^--?[a-zA-Z]/.test(t))) {
    const flag = token.split('=')[0];
    const name = [...command, flag].join(' ');
    if (hasFlag(text, flag)) continue;
    if (PENDING.includes(name)) pending.push(name);
    else problems.push(`${inv.where}: "zakocr ${command.join(' ')}" has no ${flag}`);
  }
  return { problems, pending };
}

let all: Invocation[];
beforeAll(() => {
  all = invocations();
});

describe('Dockerfile, deploy/compose.yaml and deploy/kubernetes/*.yaml', () => {
  it('Kubernetes: the queue workers are a Deployment that drains on SIGTERM, beside a Redis that never evicts jobs', () => {
    const [worker] = yamlDocs('deploy/kubernetes/worker-deployment.yaml') as any[];
    expect(worker.kind).toBe('Deployment');
    const pod = worker.spec.template.spec;
    expect(pod.containers[0].args[0]).toBe('worker');
    // longer than the longest job (limits.timeoutMs, 180 s): SIGTERM finishes the jobs in progress before exit 143
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(180);
    const redis = yamlDocs('deploy/kubernetes/redis.yaml') as any[];
    expect(redis.map((d) => d.kind).sort()).toEqual(['Service', 'StatefulSet']);
    const args = redis.find((d) => d.kind === 'StatefulSet').spec.template.spec.containers[0].args as string[];
    expect(args[args.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    const queueUrl = pod.containers[0].env.find((e: { name: string }) => e.name === 'ZAKOCR_QUEUE_REDIS').value as string;
    expect(new URL(queueUrl).hostname).toBe(redis.find((d) => d.kind === 'Service').metadata.name);
  });

  it('run only commands and flags that exist (besides the PENDING ones)', async () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    const problems = (await Promise.all(all.map(check))).flatMap((r) => r.problems);
    expect(problems).toEqual([]);
  });

  it('Dockerfile: multi-stage node:20-slim, onnxruntime skip, Bengali data checked, non-root, zakocr entrypoint', () => {
    const d = read('Dockerfile');
    expect(d).toMatch(/^ARG NODE_IMAGE=node:20-slim$/m);
    expect(d.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(d).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/);
    expect(d).toMatch(/npm ci .*--ignore-scripts/);
    expect(d).toContain('@tesseract.js-data/ben/package.json');
    expect(d).toMatch(/^USER node$/m);
    expect(d).toMatch(/^ENTRYPOINT \["zakocr"\]$/m);
    // every COPY source exists in the repository (docker would fail on a missing one)
    const sources = [...d.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.filter((src) => !existsSync(path.join(repoRoot, src)))).toEqual([]);
  });

  it('compose: PostgreSQL, Kafka in KRaft mode (no ZooKeeper), Redis and zakocr; dependencies name real services', () => {
    const compose = yamlDocs('deploy/compose.yaml')[0] as { services: Record<string, any> };
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'kafka', 'redis', 'migrate', 'zakocr']));
    expect(names.some((n) => /zookeeper/i.test(n))).toBe(false);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const dep of Object.keys(svc.depends_on ?? {})) expect(names, `${name} depends on ${dep}`).toContain(dep);
    }
  });

  it('Kubernetes: a CronJob running bench --baseline and an Indexed Job whose --shard matches its completions', () => {
    const [cron] = yamlDocs('deploy/kubernetes/accuracy-cronjob.yaml') as any[];
    expect(cron.kind).toBe('CronJob');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['bench', '--baseline']));
    const [job] = yamlDocs('deploy/kubernetes/sharded-scan-job.yaml') as any[];
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const args = job.spec.template.spec.containers[0].args as string[];
    expect(args[args.indexOf('--shard') + 1]).toBe(`$(JOB_COMPLETION_INDEX)/${job.spec.completions}`);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
  });

  it('PENDING lists only what the CLI still lacks (remove entries as issue 15 lands them)', async () => {
    const used = new Set((await Promise.all(all.map(check))).flatMap((r) => r.pending));
    expect([...used].sort()).toEqual([...PENDING].sort());
  });
});
