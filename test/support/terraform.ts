import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { render } from './render';
import type { DeployedRole } from './simulate';
import { OFFLINE_PROVIDER, TEST_REGION } from '../../lib/terraform/module';

/**
 * Running Terraform over a shipped module: a root configuration with the provider's fake credentials and every
 * check that calls AWS skipped (https://registry.terraform.io/providers/hashicorp/aws/latest/docs#skip_credentials_validation),
 * one retry only, so that a call to AWS fails at once: OFFLINE_PROVIDER, which the modules' generated
 * `terraform test` files hold too. Terraform is a binary npm cannot install
 * (https://developer.hashicorp.com/terraform/install): the tests fail when it is missing. The AWS provider comes
 * from a filesystem mirror (TF_PLUGIN_DIR, default /opt/tf-plugins) when there is one.
 */
export const ROOT = path.join(__dirname, '..', '..');
export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins';
const ENV = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
export const REGION = TEST_REGION;

export function terraform(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('terraform', [...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    throw new Error('terraform is not on PATH: install Terraform (https://developer.hashicorp.com/terraform/install; a binary npm cannot install) ' +
      `and run the tests again. ${run.error.message}`);
  }
  return run;
}

export function ok(cwd: string, args: string[]): string {
  const run = terraform(cwd, args);
  if (run.status !== 0) throw new Error(`terraform ${args.join(' ')} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/** `terraform init`, from the provider mirror when there is one. */
export function init(dir: string): void {
  ok(dir, ['init', '-no-color', '-backend=false', ...(fs.existsSync(PLUGIN_DIR) ? [`-plugin-dir=${PLUGIN_DIR}`] : [])]);
}

/** The services the modules call, for a provider pointed at an emulator. */
const SERVICES = ['iam', 'kms', 'lakeformation', 'secretsmanager', 'sts'];

/**
 * The provider block of a root configuration: the modules' tests' offline provider (fake credentials), and with
 * `endpoint` every service the modules call sent there, as the provider's custom service endpoints guide shows
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints).
 */
export function providerBlock(endpoint?: string): string {
  if (endpoint === undefined) return OFFLINE_PROVIDER;
  const endpoints = `  endpoints {\n${SERVICES.map((service) => `    ${service} = ${JSON.stringify(endpoint)}\n`).join('')}  }\n`;
  return OFFLINE_PROVIDER.replace(/\}\n$/, `${endpoints}}\n`);
}

/** HCL arguments `name = value` for a module block, one a line. */
export function moduleArguments(inputs: Record<string, unknown>): string {
  return Object.entries(inputs).map(([name, value]) => `  ${name} = ${JSON.stringify(value)}`).join('\n');
}

/** Writes a root configuration calling the module in `moduleDir` with `inputs`; changing inputs needs no new init. */
export function writeRoot(dir: string, moduleDir: string, inputs: Record<string, unknown>, endpoint?: string): void {
  fs.writeFileSync(path.join(dir, 'main.tf'), `${providerBlock(endpoint)}
module "this" {
  source = ${JSON.stringify(moduleDir)}
${moduleArguments(inputs)}
}
`);
}

/** A new initialized folder with a root configuration calling the module. */
export function rootConfig(moduleDir: string, inputs: Record<string, unknown>, endpoint?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-'));
  writeRoot(dir, moduleDir, inputs, endpoint);
  init(dir);
  return dir;
}

type ShownModule = { resources?: any[]; child_modules?: ShownModule[] };
/** A resource as `terraform show -json` shows it. */
export type ShownResource = { address: string; mode: string; type: string; values: Record<string, any> };
/** Every resource of a module in `terraform show -json` output (a plan's planned_values or a state's values), by any address. */
export function moduleResources(values: { root_module: ShownModule }): ShownResource[] {
  const walk = (modules: ShownModule[] = []): any[] => modules.flatMap((m) => [...(m.resources ?? []), ...walk(m.child_modules)]);
  return walk(values.root_module.child_modules);
}

/** The resources a saved plan of `dir` would create in the module. */
export function plannedResources(dir: string): Array<{ type: string; values: Record<string, any> }> {
  ok(dir, ['plan', '-no-color', '-out=plan.out']);
  return JSON.parse(ok(dir, ['show', '-json', 'plan.out'])).planned_values.root_module.child_modules[0].resources;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
/** A statement with Action, Resource and NotResource as arrays (CDK writes one value as a string, jsonencode as a list). */
export function normalized(statement: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(statement).map(([key, value]) => [key, ['Action', 'Resource', 'NotResource'].includes(key) ? asArray(value) : value]));
}

/** How a module's validation message shows a refused value: `<variable>: <JSON>`, or the last item of a list, `<variable>[<index>]: <JSON>`. */
export function shownValue(name: string, value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return `${name}: ${JSON.stringify(value)}`;
  return `${name}[${value.length - 1}]: ${JSON.stringify(value[value.length - 1])}`;
}

/** The number of `validation` blocks of each variable of a variables.tf. */
export function validationsByVariable(variablesTf: string): Record<string, number> {
  const blocks = variablesTf.split(/^variable "/m).slice(1).map((block) => [block.slice(0, block.indexOf('"')), block.match(/^\s+validation \{/gm)?.length ?? 0] as const);
  return Object.fromEntries(blocks.filter(([, count]) => count > 0));
}

/** How many times each name occurs. */
export function countBy(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** A JSON value with object keys sorted, so that equal conditions compare equal as text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What statements allow and deny, whatever policies and statements hold it: one entry per effect, action and
 * resource (or not-resource) under a condition. IAM evaluates every statement of every attached policy together
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so two splits of the
 * same entries grant the same.
 */
export function access(statements: Array<Record<string, unknown>>): string[] {
  const entries = new Set<string>();
  for (const s of statements.map(normalized)) {
    const [field, resources] = s.NotResource ? ['NotResource', s.NotResource] : ['Resource', s.Resource];
    for (const action of s.Action as string[]) {
      for (const resource of resources as string[]) entries.add(`${s.Effect} ${action} ${field}=${resource} ${canonical(s.Condition ?? {})}`);
    }
  }
  return [...entries].sort();
}

/** CloudFormation's pseudo parameters as a stack in `REGION` of `account` resolves them, intrinsics rendered (render.ts). */
export function resolvePseudo(value: unknown, account: string): unknown {
  const text = JSON.stringify(render(value))
    .replace(/\$\{AWS::Partition\}/g, 'aws').replace(/\$\{AWS::Region\}/g, REGION)
    .replace(/\$\{AWS::AccountId\}/g, account).replace(/\$\{AWS::URLSuffix\}/g, 'amazonaws.com');
  return JSON.parse(text);
}

/**
 * The target or base role of a module's plan or state as IAM would hold it: the trust of its `aws_iam_role`, and
 * the documents of every `aws_iam_policy` and `aws_iam_role_policy` of the module, whatever their addresses.
 */
export function terraformRole(resources: Array<{ type: string; values: Record<string, any> }>, account: string): DeployedRole {
  const role = resources.find((r) => r.type === 'aws_iam_role')!.values;
  return {
    arn: `arn:aws:iam::${account}:role${role.path ?? '/'}${role.name}`,
    name: role.name,
    account,
    trustPolicy: JSON.parse(role.assume_role_policy),
    identityPolicies: resources.filter((r) => r.type === 'aws_iam_policy' || r.type === 'aws_iam_role_policy')
      .map((r, i) => ({ name: `${r.type}-${i}`, policy: JSON.parse(r.values.policy) })),
  };
}

/**
 * Plans `moduleDir` with each bad value of `bad` (name, value, the message its validation must give) over `inputs`,
 * several variables per plan (Terraform reports every refused variable), and gives each value with whether its plan
 * failed with its message, for `expect(...).toEqual(...)` against all refused.
 */
export function refusals(
  dir: string,
  moduleDir: string,
  inputs: Record<string, unknown>,
  bad: Array<[string, unknown, string]>,
): Array<{ name: string; value: string; refused: boolean }> {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ');
  const rounds: number[][] = [];
  bad.forEach(([name], index) => {
    const round = rounds.find((r) => r.every((i) => bad[i][0] !== name));
    if (round) round.push(index);
    else rounds.push([index]);
  });
  const refused: boolean[] = [];
  for (const round of rounds) {
    writeRoot(dir, moduleDir, { ...inputs, ...Object.fromEntries(round.map((i) => [bad[i][0], bad[i][1]])) });
    const run = terraform(dir, ['plan', '-no-color']);
    const errors = oneLine(run.stderr).split('Error: ').slice(1);
    // As many errors as bad values: none refused by another validation, or by none.
    for (const i of round) refused[i] = run.status === 1 && errors.length === round.length && errors.some((e) => e.includes(oneLine(bad[i][2])));
  }
  return bad.map(([name, value], i) => ({ name, value: JSON.stringify(value).slice(0, 80), refused: refused[i] }));
}

/**
 * A README section of a module: the plan of its first `hcl` example (its `source` set to `moduleDir`, `patch`
 * applied) in a new folder (pushed to `dirs`), the inputs its table lists, and the module's variables.
 */
export function readmeSection(section: string, moduleDir: string, dirs: string[], patch: (example: string) => string = (e) => e):
{ plan: string; listed: string[]; variables: string[] } {
  const example = /```hcl\n([\s\S]*?)```/.exec(section)![1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-'));
  dirs.push(dir);
  writeRoot(dir, moduleDir, {});
  const root = fs.readFileSync(path.join(dir, 'main.tf'), 'utf8');
  fs.writeFileSync(path.join(dir, 'main.tf'), root.slice(0, root.indexOf('module "this"')));
  fs.writeFileSync(path.join(dir, 'example.tf'), patch(example.replace(/source = ".*"/, `source = ${JSON.stringify(moduleDir)}`)));
  init(dir);
  return {
    plan: ok(dir, ['plan', '-no-color']),
    listed: [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort(),
    variables: [...fs.readFileSync(path.join(moduleDir, 'variables.tf'), 'utf8').matchAll(/^variable "(\w+)"/gm)].map((m) => m[1]).sort(),
  };
}

/**
 * The `check` blocks' results of a plan of `dir`: each block's status and the messages of its failed assertions
 * (https://developer.hashicorp.com/terraform/internals/json-format, "checks").
 */
export function checkStatuses(dir: string): Record<string, { status: string; messages: string[] }> {
  ok(dir, ['plan', '-no-color', '-out=plan.out']);
  const plan = JSON.parse(ok(dir, ['show', '-json', 'plan.out']));
  type Check = { address: { kind: string; name: string }; status: string; instances?: Array<{ problems?: Array<{ message: string }> }> };
  // Validations and preconditions are there too, as kind "var" and "resource".
  const checks = (plan.checks as Check[]).filter((c) => c.address.kind === 'check');
  const messages = (c: Check) => (c.instances ?? []).flatMap((i) => (i.problems ?? []).map((p) => p.message));
  return Object.fromEntries(checks.map((c) => [c.address.name, { status: c.status, messages: messages(c) }]));
}
