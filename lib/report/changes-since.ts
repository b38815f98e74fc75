import * as fs from 'fs';
import * as path from 'path';
import { NestedStack, Stack, Stage, Token } from 'aws-cdk-lib';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { AccessReportPreviousVersion } from './access-report';
import { comparePrincipals } from '../audit/compare';
import { AuditInputError } from '../audit/errors';
import { PrincipalPermissions } from '../audit/principal';
import { renderComparisonMarkdown } from '../audit/render';
import { describePrincipal, readPrincipals, templateFilePrincipals } from '../audit/sources';
import { TemplateInputs } from '../audit/template';
import { NestedTemplateReader, principalsFromTemplate } from '../audit/template-principals';

/**
 * The "Changes since <version>" section of a stack's access report: each of `logicalIds` (the report's roles)
 * compared by access with the same principal (same logical id, else same name) of the previous version, in the
 * Markdown of `qualytics-athena-iam diff`.
 */
export function changesSinceSection(stack: Stack, previous: AccessReportPreviousVersion, logicalIds: string[]): string {
  const assembly = Stage.of(stack)!.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const inputs = readInputs(stack, artifact.template, previous.parameters);
  const current = principalsFromTemplate(artifact.template, inputs, {
    source: artifact.templateFile,
    nestedTemplate: nestedFromTree(stack, artifact.templateFile, assembly.directory),
  });
  const earlier = previousPrincipals(previous.template, artifact.hierarchicalId, inputs);
  const counterpart = (p: PrincipalPermissions, among: PrincipalPermissions[]) => among.find((o) => o.kind === p.kind && o.logicalId === p.logicalId)
    ?? among.find((o) => o.kind === p.kind && p.name !== undefined && o.name === p.name);
  const lines = [
    `## Changes since ${previous.version}`,
    `What the roles below may do now, compared by access with ${previous.version} (\`${previous.template}\`), as `
    + '`qualytics-athena-iam diff` compares them: wildcard actions expanded against IAM\'s action list, the Deny guardrails applied, '
    + 'the trust, the permissions boundary and the Lake Formation grants included; policies split or statements reordered are no change.',
  ];
  if (earlier.missingStack) {
    lines.push(`\`${previous.template}\` holds no stack \`${artifact.hierarchicalId}\`: everything the roles allow is new since ${previous.version}.`);
  }
  for (const after of current.filter((p) => p.logicalId !== undefined && logicalIds.includes(p.logicalId))) {
    const before = counterpart(after, earlier.principals);
    if (before === undefined && !earlier.missingStack) lines.push(`New since ${previous.version}: ${describePrincipal(after)}; everything it allows is added.`);
    // A role new since then is compared with one that may do nothing: everything it allows is added.
    const { kind, name, arn, logicalId } = after;
    const nothing: PrincipalPermissions = { kind, name, arn, logicalId, policies: [], lakeFormation: [] };
    lines.push(renderComparisonMarkdown(comparePrincipals(before ?? nothing, after), 3).trimEnd());
  }
  const gone = earlier.principals.filter((p) => counterpart(p, current) === undefined);
  if (gone.length > 0) lines.push(`No longer created since ${previous.version}:\n\n${gone.map((p) => `- ${describePrincipal(p)}`).join('\n')}`);
  return lines.join('\n\n');
}

/** The deployment values both versions are read with: the stack's name and environment, and the parameters. */
function readInputs(stack: Stack, template: any, given: Record<string, string> = {}): TemplateInputs {
  const declared = Object.entries<Record<string, unknown>>(template.Parameters ?? {});
  const placeholders = Object.fromEntries(declared.filter(([, p]) => p.Default === undefined).map(([name]) => [name, `<${name}>`]));
  const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
  return {
    stackName: stack.stackName,
    ...(known(stack.account) ? { accountId: stack.account } : {}),
    ...(known(stack.region) ? { region: stack.region } : {}),
    parameters: { ...placeholders, ...given },
  };
}

/** The principals of the previous version: its template file's, or those of the assembly's stack `hierarchicalId`. */
function previousPrincipals(
  source: string,
  hierarchicalId: string,
  inputs: TemplateInputs,
): { principals: PrincipalPermissions[]; missingStack: boolean } {
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) return { principals: readPrincipals(source, inputs), missingStack: false };
  let stacks: CloudFormationStackArtifact[];
  try {
    stacks = new CloudAssembly(source).stacksRecursively;
  } catch (e) {
    throw new AuditInputError(`${source}: not a cloud assembly: ${(e as Error).message}`);
  }
  const match = stacks.find((s) => s.hierarchicalId === hierarchicalId);
  return match ? { principals: templateFilePrincipals(match.templateFullPath, inputs), missingStack: false } : { principals: [], missingStack: true };
}

/** Nested stacks' templates as the stack's construct tree names them (whether or not asset metadata is on). */
function nestedFromTree(stack: Stack, rootSource: string, directory: string): NestedTemplateReader {
  const stacks = new Map<string, Stack>([[rootSource, stack]]);
  return (resource, parentSource) => {
    const parent = stacks.get(parentSource)!;
    const nested = parent.node.findAll().find((c): c is NestedStack => NestedStack.isNestedStack(c) && c.nestedStackParent === parent
      && parent.resolve(c.nestedStackResource!.logicalId) === resource.logicalId);
    if (nested === undefined) throw new AuditInputError(`${parentSource}: resource ${resource.logicalId} is not a nested stack of ${parent.node.path}`);
    const source = `${parentSource} > ${resource.logicalId}`;
    stacks.set(source, nested);
    return { template: JSON.parse(fs.readFileSync(path.join(directory, nested.templateFile), 'utf8')), source };
  };
}
