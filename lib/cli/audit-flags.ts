import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './command';
import { AuditInputError } from '../audit/errors';
import { PrincipalPermissions } from '../audit/principal';
import { assemblyPrincipals, readPrincipals } from '../audit/sources';
import { TemplateInputs } from '../audit/template';

/** The usage lines of the flags that say how a template is deployed, shared by the commands that read templates. */
export const TEMPLATE_FLAGS = `  --parameters K=V ...          parameter values, lists comma-separated (default: each template's Defaults)
  --account-id <id>             AWS::AccountId (default: the assembly's environment, else <account>)
  --region <region>             AWS::Region (default: the assembly's environment, else <region>)
  --partition <partition>       AWS::Partition (default: aws)
  --url-suffix <suffix>         AWS::URLSuffix (default: amazonaws.com, amazonaws.com.cn in aws-cn)
  --principal <ARN or name>     the role or user to read, when a template creates several
  --logical-id <id>             the same, by its logical id in the template`;

/** The string flags of {@link TEMPLATE_FLAGS} but the parameters, as `parseArgs` options. */
export const TEMPLATE_STRING_OPTIONS = {
  'account-id': { type: 'string' },
  'region': { type: 'string' },
  'partition': { type: 'string' },
  'url-suffix': { type: 'string' },
  'principal': { type: 'string' },
  'logical-id': { type: 'string' },
} as const;

/**
 * Rewrites `--<flag> K=V K2=V2 ...` (values up to the next flag, as the AWS CLI takes `--parameters`) as one
 * `--<flag>=K=V` per pair, so that `parseArgs` reads the flag as `multiple`.
 */
export function spreadPairFlags(args: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i].replace(/^--/, '');
    if (!args[i].startsWith('--') || !flags.includes(flag)) {
      out.push(args[i]);
      continue;
    }
    let taken = 0;
    while (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      if (!args[i + 1].includes('=')) {
        if (taken === 0) throw new UsageError(`--${flag}: expected Key=Value pairs, got "${args[i + 1]}"`);
        break;
      }
      out.push(`--${flag}=${args[++i]}`);
      taken++;
    }
    if (taken === 0) throw new UsageError(`--${flag}: expected Key=Value pairs`);
  }
  return out;
}

/** `K=V` pairs as a record. */
export function parameterPairs(pairs: string[] | undefined): Record<string, string> {
  return Object.fromEntries((pairs ?? []).map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
}

/** The pseudo parameters of the template flags. */
export function pseudoParameters(values: Partial<Record<keyof typeof TEMPLATE_STRING_OPTIONS, string>>): TemplateInputs {
  return {
    ...(values['account-id'] ? { accountId: values['account-id'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.partition ? { partition: values.partition } : {}),
    ...(values['url-suffix'] ? { urlSuffix: values['url-suffix'] } : {}),
  };
}

/**
 * The principals of what `diff` and `drift` compare: a template file or a cloud assembly directory (read by
 * lib/audit), or a deployment config, synthesized as `synth --config` does into a temporary cloud assembly.
 * The config branch lives here because lib/audit reads documents only (it never loads aws-cdk-lib) and
 * lib/config is a face of its own; aws-cdk-lib is loaded only when a config is given.
 */
export function readInputPrincipals(path: string, inputs: TemplateInputs = {}): PrincipalPermissions[] {
  if (!isDeploymentConfig(path)) return readPrincipals(path, inputs);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeConfigAssembly } = require('../config/synth') as typeof import('../config/synth');
  const outdir = mkdtempSync(join(tmpdir(), 'qualytics-athena-iam-config-'));
  try {
    let assembly: string;
    try {
      assembly = synthesizeConfigAssembly(path, outdir);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new AuditInputError(message.includes(path) ? message : `${path}: the deployment config was refused: ${message}`);
    }
    return assemblyPrincipals(assembly, inputs);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Whether `path` is a deployment config rather than a template or Terraform output: a JSON object without
 * `Resources`, the one section every CloudFormation template has
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html), and without
 * `format_version`, which every `terraform show -json` document has
 * (https://developer.hashicorp.com/terraform/internals/json-format). Anything else (a directory, YAML, a
 * template, Terraform output) is left to {@link readPrincipals} and its errors.
 */
function isDeploymentConfig(path: string): boolean {
  if (!path.endsWith('.json') || !statSync(path, { throwIfNoEntry: false })?.isFile()) return false;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !('Resources' in value) && !('format_version' in value);
  } catch {
    return false;
  }
}
