import { literal, Validation } from './hcl';

/**
 * A Terraform module the library ships, as data: its resources (main.tf), variables and outputs, and what its
 * README and `terraform test` files say. Every module renders through the same functions here, so a module is
 * added to `TERRAFORM_MODULES` (write-modules.ts) by one line and gets its variables.tf, outputs.tf, versions.tf,
 * README.md and tests/ like the others.
 */
export interface TerraformModule {
  /** The README's title. */
  readonly title: string;
  /** The README's opening paragraph (Markdown). */
  readonly summary: string;
  /** main.tf, before `terraform fmt`. */
  readonly mainTf: string;
  readonly variables: Variable[];
  readonly outputs: Output[];
  /** The README's usage: the arguments of a `module` block calling it (HCL, without `source`). */
  readonly usage: string;
  /** Rules of the constructs that the module cannot check at plan, and why (README and tests' header). */
  readonly unchecked: string[];
  /** HCL values of the required variables the tests give every run (valid ones). */
  readonly testVariables: Record<string, string>;
  /** The tests' `command = plan` runs that assert the documents the plan renders. */
  readonly planRuns: PlanRun[];
  /**
   * README sections after "Checked at plan" (Markdown), by title.
   * @default - none
   */
  readonly sections?: Record<string, string>;
  /**
   * The Terraform and AWS provider versions the module needs.
   * @default REQUIREMENTS
   */
  readonly requirements?: Requirements;
}

/** The Terraform and AWS provider versions a module needs, as versions.tf and its README state them. */
export interface Requirements {
  /** Terraform's version constraint. */
  readonly terraform: string;
  readonly aws: { readonly source: string; readonly version: string; readonly why: string };
  /** The Terraform version its tests need. */
  readonly tests: string;
}

/** A module input, as variables.tf declares it. */
export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** HCL of the default; absent: required. */
  readonly default?: string;
  readonly validations?: Validation[];
}

/** A module output. */
export interface Output {
  readonly name: string;
  /** HCL of the value. */
  readonly value: string;
  readonly description: string;
}

/** A `terraform test` run that plans the module with `variables` and checks `asserts`. */
export interface PlanRun {
  /** The run's name (an HCL identifier). */
  readonly name: string;
  /** HCL values of the variables it sets, over the tests' `testVariables`. */
  readonly variables: Record<string, string>;
  /** HCL conditions, each with what the failure says. */
  readonly asserts: Array<{ readonly condition: string; readonly message: string }>;
  /**
   * The `check` blocks the plan must warn with (their assertions fail; `terraform test` fails the run when one
   * of them does not, or another check does).
   * @default none
   */
  readonly warns?: string[];
}

export const HEADER = '# Generated from the qualytics-athena-iam model by `npx projen terraform` (lib/terraform): do not edit.\n\n';

/** Terraform and the providers every module requires, as versions.tf and the READMEs state them. */
export const REQUIREMENTS: Requirements = {
  terraform: '>= 1.5',
  aws: { source: 'hashicorp/aws', version: '>= 5.72, < 6.0', why: '5.72 added aws_iam_role_policy_attachments_exclusive.' },
  /** `terraform test` came with Terraform 1.6 (https://developer.hashicorp.com/terraform/language/tests). */
  tests: '>= 1.6',
};

/** variables.tf declaring `variables`. */
export function variablesTf(variables: Variable[]): string {
  return HEADER + variables.map((v) => [
    `variable "${v.name}" {`,
    `  description = ${literal(v.description)}`,
    `  type        = ${v.type}`,
    ...(v.default === undefined ? [] : [`  default     = ${v.default}`]),
    ...(v.default === 'null' ? ['  nullable    = true'] : []),
    ...(v.validations ?? []).map((validation) => validation.hcl),
    '}',
  ].join('\n')).join('\n\n') + '\n';
}

/** outputs.tf declaring `outputs`. */
export function outputsTf(outputs: Output[]): string {
  return HEADER + outputs.map((o) => `output "${o.name}" {\n  description = ${literal(o.description)}\n  value       = ${o.value}\n}`).join('\n\n') + '\n';
}

/** versions.tf: Terraform and the AWS provider the module needs. */
export function versionsTf(requirements: Requirements = REQUIREMENTS): string {
  return `${HEADER}terraform {
  required_version = ${literal(requirements.terraform)}
  required_providers {
    aws = {
      source  = ${literal(requirements.aws.source)}
      # ${requirements.aws.why}
      version = ${literal(requirements.aws.version)}
    }
  }
}
`;
}

/** The Region the tests plan in. */
export const TEST_REGION = 'us-east-1';
/** The account the tests give as `account_id`, so that no plan asks STS. */
export const TEST_ACCOUNT = '111122223333';

/**
 * The AWS provider with fake credentials and every check that calls AWS skipped
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs#skip_credentials_validation), one retry only,
 * so that a call to AWS fails at once: a plan then runs offline.
 */
export const OFFLINE_PROVIDER = `provider "aws" {
  region                      = "${TEST_REGION}"
  access_key                  = "fake"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
}
`;

/** The names of a module's test runs: its plan runs, then one per validation block. */
export function testRunNames(module: TerraformModule): string[] {
  return [...module.planRuns.map((r) => r.name), ...module.variables.flatMap((v) => (v.validations ?? []).map((b) => `refuses_${b.name}`))];
}

const variablesBlock = (values: Record<string, string>, indent: string) =>
  `${indent}variables {\n${Object.entries(values).map(([name, value]) => `${indent}  ${name} = ${value}`).join('\n')}\n${indent}}`;

/**
 * The module's `terraform test` file (https://developer.hashicorp.com/terraform/language/tests): plans with the
 * offline provider, the plan runs' assertions, and one run per validation block that gives its variable the bad
 * value and expects exactly that variable to fail.
 */
export function testFile(module: TerraformModule): string {
  const plans = module.planRuns.map((run) => [
    `run "${run.name}" {`,
    '  command = plan',
    ...(Object.keys(run.variables).length > 0 ? [variablesBlock(run.variables, '  ')] : []),
    ...run.asserts.map((a) => `  assert {\n    condition     = ${a.condition}\n    error_message = ${literal(a.message)}\n  }`),
    ...(run.warns ? [`  expect_failures = [${run.warns.map((name) => `check.${name}`).join(', ')}]`] : []),
    '}',
  ].join('\n'));
  const refusals = module.variables.flatMap((v) => (v.validations ?? []).map((b) => [
    `run "refuses_${b.name}" {`,
    '  command = plan',
    variablesBlock({ [v.name]: b.bad }, '  '),
    `  expect_failures = [var.${v.name}]`,
    '}',
  ].join('\n')));
  return `${HEADER}# Needs Terraform ${(module.requirements ?? REQUIREMENTS).tests}: run \`terraform init\` and \`terraform test\` in the module's folder. No AWS account is used.

${OFFLINE_PROVIDER}
${variablesBlock(module.testVariables, '')}

${[...plans, ...refusals].join('\n\n')}
`;
}

/** A Markdown table cell: pipes escaped, newlines as spaces. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (text: string) => `\`${cell(text)}\``;

/**
 * The variables main.tf's preconditions refuse, by their messages (`Invalid <variable>...`, or per item
 * `Invalid <variable>[<i>]...`): the rules that compare a variable with others, which validation blocks cannot.
 */
function preconditionVariables(mainTf: string): string[] {
  const refused = /error_message\s*=.*?Invalid (?:\$\{join\(", ", \[for i, v in var\.)?([a-z_]+)/g;
  return [...new Set([...mainTf.matchAll(refused)].map((m) => m[1]))];
}

/** The module's README.md: what it is, usage, requirements, inputs, outputs, what it does not check, and its tests. */
export function readme(name: string, module: TerraformModule): string {
  const requirements = module.requirements ?? REQUIREMENTS;
  const inputs = module.variables.map((v) => `| ${code(v.name)} | ${cell(v.description)} | ${code(v.type)} | ${v.default === undefined ? 'required' : code(v.default)} |`);
  const outputs = module.outputs.map((o) => `| ${code(o.name)} | ${cell(o.description)} |`);
  const checked = module.variables.filter((v) => (v.validations ?? []).length > 0).map((v) => code(v.name));
  const compared = preconditionVariables(module.mainTf).map(code);
  return `<!-- Generated from the qualytics-athena-iam model by \`npx projen terraform\` (lib/terraform): do not edit. -->
# ${module.title}

${module.summary}

## Usage

\`\`\`hcl
module "${name.replace(/-/g, '_')}" {
  source = "./node_modules/qualytics-athena-iam/terraform/modules/${name}"

${module.usage.trim().split('\n').map((line) => `  ${line}`).join('\n')}
}
\`\`\`

Complete root configurations are in [\`terraform/examples/\`](../../examples/).

## Requirements

| Name | Version |
|---|---|
| terraform | ${code(requirements.terraform)} |
| ${requirements.aws.source} | ${code(requirements.aws.version)} |

## Inputs

| Name | Description | Type | Default |
|---|---|---|---|
${inputs.join('\n')}

## Outputs

| Name | Description |
|---|---|
${outputs.join('\n')}

## Checked at plan

${checked.join(', ')} are checked at plan with the constructs' rules and messages
(\`Invalid <variable>: <value>. <what is accepted>\`).${compared.length === 0 ? '' : ` The rules that compare one of ${compared.join(', ')} with other
variables are preconditions, which refuse the plan with the same messages.`} Not checked at plan:

${module.unchecked.map((u) => `- ${u}`).join('\n')}
${Object.entries(module.sections ?? {}).map(([title, text]) => `\n## ${title}\n\n${text}\n`).join('')}
## Tests

\`tests/${name}.tftest.hcl\` plans the module with fake credentials (no AWS account is used) and refuses one bad
value per validation (${testRunNames(module).length} runs; Terraform ${requirements.tests}): \`terraform init\`, then
\`terraform test\`, in this folder.
`;
}
