/**
 * `terraform plan` of the target role module at 300 databases (19 query policies, the quota raised to 20) against a
 * hand-written root with the same resources: the role, as many `aws_iam_policy` holding the module's planned
 * documents as literals, their attachments and the exclusive attachments, with no variables, validations,
 * preconditions, data sources or split. Same Terraform, same provider (offline, fake credentials:
 * test/support/terraform.ts), same run, alternating after one warm-up each; and a root of the role alone, the part of
 * every plan that is starting Terraform and the provider. Run with `npm run bench` or on its own:
 * `npx ts-node --project test/tsconfig.json bench/terraform-plan.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { SHAPE } from './scale';
import { MODULE, moduleInputs } from './terraform-capacity';
import { init, ok, providerBlock, rootConfig, ShownResource } from '../test/support/terraform';

const DATABASES = 300;
const QUERY_POLICIES = 19;
const QUOTA = 20;
const RUNS = 5;
const PLAN = ['plan', '-no-color', '-input=false', '-lock=false'];

/** A literal HCL string: JSON's escapes are HCL's, and `${` and `%{` are escaped so that nothing is a template. */
const literal = (text: string) => JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** The hand-written root: the planned role and policies, as literals. */
function handWritten(resources: ShownResource[]): string {
  const role = resources.find((r) => r.type === 'aws_iam_role')!.values;
  const policies = resources.filter((r) => r.type === 'aws_iam_policy').map((r) => r.values);
  return [
    providerBlock(),
    `resource "aws_iam_role" "this" {
  name                 = ${literal(role.name)}
  path                 = ${literal(role.path)}
  max_session_duration = ${role.max_session_duration}
  assume_role_policy   = ${literal(role.assume_role_policy)}
}`,
    ...policies.map((policy, i) => `resource "aws_iam_policy" "p${i}" {
  name_prefix = ${literal(policy.name_prefix)}
  path        = ${literal(policy.path)}
  description = ${literal(policy.description)}
  policy      = ${literal(policy.policy)}
}

resource "aws_iam_role_policy_attachment" "p${i}" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.p${i}.arn
}`),
    `resource "aws_iam_role_policy_attachments_exclusive" "this" {
  role_name   = aws_iam_role.this.name
  policy_arns = [${policies.map((_, i) => `aws_iam_role_policy_attachment.p${i}.policy_arn`).join(', ')}]
}`,
  ].join('\n\n');
}

/** The root of the role alone (the first resource of the hand-written root). */
const roleAlone = (handWrittenRoot: string) => handWrittenRoot.slice(0, handWrittenRoot.indexOf('resource "aws_iam_policy"'));

/** The resources `terraform plan` would create, from the plan's last line. */
const planned = (output: string) => Number(/Plan: (\d+) to add/.exec(output)?.[1]);

/** Prints the median plan times of the module and of the hand-written root, the ratio, and every run. */
export function terraformPlanBenchmark(): void {
  const moduleDir = rootConfig(MODULE, moduleInputs(SHAPE, DATABASES, QUERY_POLICIES, QUOTA));
  const baselineDir = fs.mkdtempSync(path.join(path.dirname(moduleDir), 'terraform-baseline-'));
  const aloneDir = fs.mkdtempSync(path.join(path.dirname(moduleDir), 'terraform-role-alone-'));
  try {
    ok(moduleDir, [...PLAN, '-out=plan.out']);
    const shown = JSON.parse(ok(moduleDir, ['show', '-json', 'plan.out'])).planned_values.root_module.child_modules[0].resources as ShownResource[];
    const managed = shown.filter((r) => r.mode === 'managed');
    const root = handWritten(managed);
    fs.writeFileSync(path.join(baselineDir, 'main.tf'), root);
    fs.writeFileSync(path.join(aloneDir, 'main.tf'), roleAlone(root));
    init(baselineDir);
    init(aloneDir);
    const time = (dir: string) => {
      const start = performance.now();
      const resources = planned(ok(dir, PLAN));
      return { seconds: (performance.now() - start) / 1000, resources };
    };
    const warm = [time(moduleDir), time(baselineDir), time(aloneDir)];
    if (warm[0].resources !== managed.length || warm[1].resources !== managed.length) {
      throw new Error(`the module plans ${warm[0].resources} resources and the hand-written root ${warm[1].resources}, not both ${managed.length}`);
    }
    const moduleRuns: number[] = [];
    const baselineRuns: number[] = [];
    const aloneRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      moduleRuns.push(time(moduleDir).seconds);
      baselineRuns.push(time(baselineDir).seconds);
      aloneRuns.push(time(aloneDir).seconds);
    }
    const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    const runs = (values: number[]) => values.map((s) => s.toFixed(2)).join(', ');
    const policies = managed.filter((r) => r.type === 'aws_iam_policy').length;
    console.log(`\n## terraform plan: the target role module at ${DATABASES} databases against a hand-written root (${managed.length} resources, ${policies} policies)\n`);
    console.log(`| root | median of ${RUNS} (s) | runs (s) |`);
    console.log('|---|---:|---|');
    console.log(`| the module (${QUERY_POLICIES} query policies, validations, preconditions, split at plan) | ${median(moduleRuns).toFixed(2)} | ${runs(moduleRuns)} |`);
    console.log(`| hand-written: the same resources, literal documents | ${median(baselineRuns).toFixed(2)} | ${runs(baselineRuns)} |`);
    console.log(`| the role alone (starting Terraform and the provider) | ${median(aloneRuns).toFixed(2)} | ${runs(aloneRuns)} |`);
    console.log(`| ratio, module / hand-written | ${(median(moduleRuns) / median(baselineRuns)).toFixed(2)}x | |`);
    const beyond = (values: number[]) => median(values) - median(aloneRuns);
    console.log(`| ratio beyond the role alone | ${(beyond(moduleRuns) / beyond(baselineRuns)).toFixed(2)}x | |`);
  } finally {
    fs.rmSync(moduleDir, { recursive: true, force: true });
    fs.rmSync(baselineDir, { recursive: true, force: true });
    fs.rmSync(aloneDir, { recursive: true, force: true });
  }
}

if (require.main === module) terraformPlanBenchmark();
