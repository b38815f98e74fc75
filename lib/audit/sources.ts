import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AuditInputError } from './errors';
import { PrincipalPermissions } from './principal';
import { TemplateInputs } from './template';
import { NestedTemplateReader, principalsFromTemplate } from './template-principals';
import { isTerraformShow, principalsFromTerraform } from './terraform-principals';

/**
 * Where expected principals come from: a synthesized CloudFormation template file (JSON), a cloud assembly
 * directory (`cdk.out`: `manifest.json`, its stacks' templates and their nested stacks' templates), or the
 * `terraform show -json` output of a saved plan or a state (terraform-principals.ts). Each returns the same
 * {@link PrincipalPermissions}.
 */

/** Reads the principals of a template file, a cloud assembly directory or a `terraform show -json` file at `path`. */
export function readPrincipals(path: string, inputs: TemplateInputs = {}): PrincipalPermissions[] {
  if (!existsSync(path)) {
    throw new AuditInputError(`${path}: no such file or directory (give a template file, a cloud assembly directory or a terraform show -json file)`);
  }
  if (statSync(path).isDirectory()) return assemblyPrincipals(path, inputs);
  const json = readTemplate(path);
  return isTerraformShow(json) ? principalsFromTerraform(json, inputs, path) : templateFilePrincipals(path, inputs);
}

/** Reads the principals of one template file; its nested stacks' templates are looked up beside it (as in a cloud assembly). */
export function templateFilePrincipals(file: string, inputs: TemplateInputs = {}): PrincipalPermissions[] {
  const options = { source: file, nestedTemplate: besideParent(dirname(file)) };
  return principalsFromTemplate(readTemplate(file), { stackName: stackNameOf(file), ...inputs }, options);
}

/**
 * Reads the principals of every stack of a cloud assembly (`manifest.json` artifacts of type
 * `aws:cloudformation:stack`, and nested assemblies of type `cdk:cloud-assembly`, the stages).
 */
export function assemblyPrincipals(directory: string, inputs: TemplateInputs = {}): PrincipalPermissions[] {
  const manifestFile = join(directory, 'manifest.json');
  if (!existsSync(manifestFile)) throw new AuditInputError(`${directory}: not a cloud assembly (no manifest.json)`);
  type Artifact = { type?: string; properties?: Record<string, string>; environment?: string };
  const manifest = readJson(manifestFile) as { artifacts?: Record<string, Artifact> };
  const principals: PrincipalPermissions[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      principals.push(...assemblyPrincipals(join(directory, artifact.properties.directoryName), inputs));
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const [account, region] = environmentOf(artifact.environment);
    const file = join(directory, artifact.properties.templateFile);
    principals.push(...principalsFromTemplate(readTemplate(file), {
      stackName: artifact.properties.stackName ?? id,
      ...(account ? { accountId: account } : {}),
      ...(region ? { region } : {}),
      ...inputs,
    }, { source: relative(process.cwd(), file) || file, nestedTemplate: besideParent(directory) }));
  }
  return principals;
}

/** How to pick one principal: its ARN or name, or its logical id in the template (a Terraform resource address). */
export interface PrincipalSelector {
  /** An ARN or a name. */
  readonly principal?: string;
  /** A template's logical id, or the resource address in Terraform output (`module.this.aws_iam_role.this`). */
  readonly logicalId?: string;
}

/**
 * The principal `selector` names, or the only one there is; an {@link AuditInputError} listing the candidates
 * when none or several match.
 */
export function selectPrincipal(principals: PrincipalPermissions[], selector: PrincipalSelector, source: string): PrincipalPermissions {
  const matches = principals.filter((p) =>
    (selector.principal === undefined || p.arn === selector.principal || p.name === selector.principal)
    && (selector.logicalId === undefined || p.logicalId === selector.logicalId));
  if (matches.length === 1) return matches[0];
  const candidates = principals.map(describePrincipal).join('\n  ');
  if (principals.length === 0) throw new AuditInputError(`${source}: creates no IAM role or user`);
  const asked = [selector.principal && `"${selector.principal}"`, selector.logicalId && `logical id "${selector.logicalId}"`].filter(Boolean).join(' and ');
  throw new AuditInputError(matches.length === 0
    ? `${source}: no principal matches ${asked}. The candidates:\n  ${candidates}`
    : `${source}: ${matches.length} principals${asked ? ` match ${asked}` : ''}; pick one with --principal <ARN or name> or --logical-id. The candidates:\n  ${candidates}`);
}

/** `role qualytics-athena-access (logical id TargetRole759A579C, arn:...)`; of Terraform output `(address module.this.aws_iam_role.this, ...)`. */
export function describePrincipal(p: PrincipalPermissions): string {
  // A logical id is alphanumeric; a Terraform resource address has dots.
  const id = p.logicalId && `${p.logicalId.includes('.') ? 'address' : 'logical id'} ${p.logicalId}`;
  return `${p.kind} ${p.name ?? '(unnamed)'} (${[id, p.arn].filter(Boolean).join(', ')})`;
}

/** Nested stack templates as a cloud assembly holds them: the file its `aws:asset:path` metadata names. */
function besideParent(directory: string): NestedTemplateReader {
  return (stack, parentSource) => {
    const assetPath = stack.metadata['aws:asset:path'];
    const file = typeof assetPath === 'string' ? join(directory, assetPath) : undefined;
    if (file === undefined || !existsSync(file)) {
      throw new AuditInputError(`${parentSource}: resource ${stack.logicalId}, property TemplateURL: the nested stack's template is not in the cloud assembly`
        + `${file ? ` (${file})` : ' (no aws:asset:path metadata)'}; read the cloud assembly directory that synthesized it`);
    }
    return { template: readTemplate(file), source: `${parentSource} > ${stack.logicalId}` };
  };
}

function readTemplate(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  if (!/^\s*\{/.test(text)) {
    throw new AuditInputError(`${file}: not a JSON template (YAML templates are not read; convert one with "cfn-flip -j")`);
  }
  return readJson(file, text);
}

function readJson(file: string, text = readFileSync(file, 'utf8')): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AuditInputError(`${file}: not JSON: ${(e as Error).message}`);
  }
}

/** `aws://<account>/<region>`; `unknown-account`, `unknown-region` for an environment-agnostic stack. */
function environmentOf(environment: string | undefined): [string | undefined, string | undefined] {
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  const known = (value: string | undefined) => (value === undefined || value.startsWith('unknown-') ? undefined : value);
  return [known(match?.[1]), known(match?.[2])];
}

function stackNameOf(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/(\.template)?\.json$/, '');
}
