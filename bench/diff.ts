/**
 * diff of two 300-database templates (the second with one database renamed and one added), synthesized from the
 * constructs, with the diff command (reading both templates, comparing by access, rendering Markdown), against a
 * baseline measured in the same run: reading and parsing both templates and deep-comparing their policy
 * documents as JSON, the text comparison the diff replaces. Run with `npm run bench` or on its own:
 * `npx ts-node --project test/tsconfig.json bench/diff.ts`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { isDeepStrictEqual } from 'util';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaTargetRole } from '../lib';
import { runCli } from '../lib/cli';

const RUNS = 7;
const DATABASES = 300;

const database = (i: number) => `sales_${String(i).padStart(5, '0')}_${'x'.repeat(20)}`;

/** The template of a target role reading `names`, written to a file of its own; and how many managed policies it takes. */
function templateFile(folder: string, file: string, names: string[]): { file: string; policies: number } {
  const stack = new Stack(new App(), 'Diff', { env: { account: '111122223333', region: 'us-east-1' } });
  const target = new AthenaTargetRole(stack, 'Target', {
    trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    externalId: 'qualytics-acme-7f3c9e',
    resultsBucketName: 'acme-results',
    glueDatabaseNames: names,
  });
  writeFileSync(join(folder, file), JSON.stringify(Template.fromStack(stack).toJSON()));
  return { file: join(folder, file), policies: target.queryPolicy.managedPolicies.length };
}

/** The policy documents of a template by logical id and policy name: the roles' inline policies, the managed policies. */
function policyDocuments(template: any): Map<string, unknown> {
  const documents = new Map<string, unknown>();
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::IAM::ManagedPolicy') documents.set(id, resource.Properties.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role') {
      documents.set(`${id} trust`, resource.Properties.AssumeRolePolicyDocument);
      for (const policy of resource.Properties.Policies ?? []) documents.set(`${id} ${policy.PolicyName}`, policy.PolicyDocument);
    }
  }
  return documents;
}

/** The baseline: both templates read and parsed, their policy documents compared as JSON; the keys that differ. */
function jsonCompare(before: string, after: string): string[] {
  const [old, now] = [before, after].map((file) => policyDocuments(JSON.parse(readFileSync(file, 'utf8'))));
  const keys = new Set([...old.keys(), ...now.keys()]);
  return [...keys].filter((key) => !isDeepStrictEqual(old.get(key), now.get(key)));
}

/** Prints the median time of a diff run and of the JSON comparison (alternating, after one warm-up of each), and the ratio. */
export async function diffBenchmark(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'diff-bench-'));
  const names = Array.from({ length: DATABASES }, (_, i) => database(i));
  const before = templateFile(folder, 'before.template.json', names);
  const after = templateFile(folder, 'after.template.json', [...names.slice(0, -1), database(DATABASES + 1), database(DATABASES + 2)]);
  const output: string[] = [];
  const diff = async () => {
    output.length = 0;
    const start = performance.now();
    const code = await runCli(['diff', before.file, after.file], { out: (line) => output.push(line), err: (line) => output.push(line) });
    if (code !== 1) throw new Error(`diff of a changed role exited ${code}:\n${output.join('\n')}`);
    return performance.now() - start;
  };
  let differing: string[] = [];
  const plain = () => {
    const start = performance.now();
    differing = jsonCompare(before.file, after.file);
    return performance.now() - start;
  };
  await diff();
  plain();
  const diffRuns: number[] = [];
  const plainRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    diffRuns.push(await diff());
    plainRuns.push(plain());
  }
  const rows = output.join('\n').split('\n').filter((line) => /^\| (added|removed|narrowed|condition)/.test(line));
  const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(`\n## diff of two ${DATABASES}-database templates (${before.policies} and ${after.policies} managed policies; one database renamed, one added)\n`);
  console.log(`| run | median of ${RUNS} (ms) | what it reports |`);
  console.log('|---|---:|---|');
  console.log(`| diff (read both templates, compare by access, render Markdown) | ${median(diffRuns).toFixed(0)} | ${rows.length} changed grants |`);
  console.log(`| read both templates, JSON deep-compare of their policy documents | ${median(plainRuns).toFixed(1)} | ${differing.length} policy documents differ |`);
  console.log(`| ratio | ${(median(diffRuns) / median(plainRuns)).toFixed(1)}x | |`);
}

if (require.main === module) {
  diffBenchmark().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
