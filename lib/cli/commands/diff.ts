import { parseArgs } from 'node:util';
import { comparePrincipals } from '../../audit/compare';
import { AuditInputError } from '../../audit/errors';
import { currentCustomerTemplateFile, releasedCustomerTemplate } from '../../audit/released-template';
import { comparisonJson, renderComparisonMarkdown } from '../../audit/render';
import { selectPrincipal } from '../../audit/sources';
import { parameterPairs, pseudoParameters, readInputPrincipals, spreadPairFlags, TEMPLATE_FLAGS, TEMPLATE_STRING_OPTIONS } from '../audit-flags';
import { Command, UsageError } from '../command';

/** `diff`: what an upgrade adds to or removes from a principal's access, compared by access rather than text. */
export const DIFF_COMMAND: Command = {
  usage: `diff <before> <after> [options]
       diff --base <release> [<after>] [options]
  Compares what a role (or user) may do in two versions: its permissions, the Deny guardrails, its trust,
  its permissions boundary and its Lake Formation grants. Wildcard actions are expanded against IAM's action
  list; a narrowed resource is a narrowing, policies split or statements reordered are no change.
  <before>, <after> are each one of:
    a CloudFormation template (JSON), such as templates/athena-target-role.json or a synthesized stack's;
    a cloud assembly directory (cdk.out), every stack of it and their nested stacks;
    a deployment config (JSON, as synth --config takes it), synthesized in memory (needs aws-cdk-lib);
    the output of terraform show -json (of a saved plan, or of the state). Of the flags below, Terraform
    output takes --principal, --logical-id (there the resource address, module.this.aws_iam_role.this),
    --account-id and --partition (the principal's ARN, which a plan does not know yet).

  --base <release>              the customer template (templates/athena-target-role.json) of an earlier release:
                                an npm package spec (qualytics-athena-iam@1.2.0) or a tarball; <after> defaults
                                to the template of this installed version
${TEMPLATE_FLAGS}
  --before-parameters K=V ...   parameter values for <before> only (over --parameters)
  --after-parameters K=V ...    parameter values for <after> only (over --parameters)
  --fail-on <change|broadening> exit 1 on any change in access (default), or only when access broadens
  --json                        print the comparison as one JSON document instead of Markdown: sources (what
                                was read), before and after (the principals), each change, changed, broadens
  -h, --help                    print this help

  Exit codes: 0 no change in access (with --fail-on broadening: none that broadens), 1 access changed
  (broadened), 2 the command line or an input was wrong.`,
  run: (args, _options, out, err) => diff(args, out, err),
};

const PAIR_FLAGS = ['parameters', 'before-parameters', 'after-parameters'];

async function diff(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: spreadPairFlags(args, PAIR_FLAGS),
    strict: true,
    allowPositionals: true,
    options: {
      ...TEMPLATE_STRING_OPTIONS,
      'parameters': { type: 'string', multiple: true },
      'before-parameters': { type: 'string', multiple: true },
      'after-parameters': { type: 'string', multiple: true },
      'base': { type: 'string' },
      'fail-on': { type: 'string', default: 'change' },
      'json': { type: 'boolean' },
    },
  });
  const failOn = values['fail-on'];
  if (failOn !== 'change' && failOn !== 'broadening') throw new UsageError(`--fail-on: expected change or broadening, got "${failOn}"`);
  const expected = values.base === undefined ? 2 : 1;
  if (positionals.length > expected || (values.base === undefined && positionals.length < 2)) {
    throw new UsageError(values.base === undefined
      ? 'Expected <before> and <after> (a template, a cloud assembly directory, a deployment config or a terraform show -json file each), '
        + `got ${positionals.length}.`
      : `With --base, expected at most one <after>, got ${positionals.length}.`);
  }
  const base = values.base === undefined ? undefined : tryInput(() => releasedCustomerTemplate(values.base!), err);
  if (base === null) return 2;
  try {
    const [beforePath, afterPath] = base
      ? [base.templateFile, positionals[0] ?? currentCustomerTemplateFile()]
      : [positionals[0], positionals[1]];
    const shared = parameterPairs(values.parameters);
    const pseudo = pseudoParameters(values);
    const selector = { principal: values.principal, logicalId: values['logical-id'] };
    const side = (path: string, pairs: string[] | undefined) => selectPrincipal(
      readInputPrincipals(path, { ...pseudo, parameters: { ...shared, ...parameterPairs(pairs) } }), selector, path);
    const result = tryInput(() => comparePrincipals(side(beforePath, values['before-parameters']), side(afterPath, values['after-parameters'])), err);
    if (result === null) return 2;
    if (values.json) {
      const sources = { before: base ? `${values.base} (${base.version})` : beforePath, after: afterPath };
      out(JSON.stringify({ sources, ...comparisonJson(result) }, null, 2));
    } else {
      out(`# Access changes: ${base ? `release ${base.version}` : `\`${beforePath}\``} → \`${afterPath}\`\n`);
      out(renderComparisonMarkdown(result).trimEnd());
    }
    if (failOn === 'broadening') return result.broadens ? 1 : 0;
    return result.changed ? 1 : 0;
  } finally {
    base?.dispose();
  }
}

/** Runs `read`; on an input the audit cannot read, prints why and yields null (exit 2). */
function tryInput<T>(read: () => T, err: (line: string) => void): T | null {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof AuditInputError)) throw e;
    err(e.message);
    return null;
  }
}
