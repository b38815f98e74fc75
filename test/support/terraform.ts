import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Running Terraform over a shipped module: a root configuration with the provider's fake credentials and every
 * check that calls AWS skipped (https://registry.terraform.io/providers/hashicorp/aws/latest/docs#skip_credentials_validation),
 * one retry only, so that a call to AWS fails at once. Terraform is a binary npm cannot install
 * (https://developer.hashicorp.com/terraform/install): the tests fail when it is missing. The AWS provider comes
 * from a filesystem mirror (TF_PLUGIN_DIR, default /opt/tf-plugins) when there is one.
 */
export const ROOT = path.join(__dirname, '..', '..');
const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins';
const ENV = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
export const REGION = 'us-east-1';

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

/** The services the modules call, for a provider pointed at an emulator (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/custom-service-endpoints). */
const SERVICES = ['iam', 'kms', 'secretsmanager', 'sts'];

/**
 * Writes a root configuration calling the module in `moduleDir` with `inputs`, its AWS calls sent to `endpoint`
 * when given (an emulator); changing inputs needs no new init.
 */
export function writeRoot(dir: string, moduleDir: string, inputs: Record<string, unknown>, endpoint?: string): void {
  const endpoints = endpoint === undefined ? '' : `  endpoints {\n${SERVICES.map((service) => `    ${service} = "${endpoint}"\n`).join('')}  }\n`;
  const args = Object.entries(inputs).map(([name, value]) => `  ${name} = ${JSON.stringify(value)}`).join('\n');
  fs.writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {
  region                      = "${REGION}"
  access_key                  = "fake"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
${endpoints}}

module "this" {
  source = ${JSON.stringify(moduleDir)}
${args}
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
