import { parseArgs } from 'node:util';
import { AuditInputError } from '../../audit/errors';
import { Command, UsageError } from '../command';
import { requireFlags } from '../flags';

/** `synth`: the CloudFormation template of a deployment config, without a CDK app. */
export const SYNTH_COMMAND: Command = {
  usage: `synth --config <file> [--output <dir>]
  Synthesizes the CloudFormation template a deployment config describes, without a CDK app of your own.
  The config (JSON) is checked against the schema shipped at
  node_modules/qualytics-athena-iam/schema/athena-access.schema.json, then the constructs check every value
  and aws-cdk-lib validates the resources against the CloudFormation resource schemas. Writes a cloud assembly:
  <dir>/<stack name>.template.json, which needs no CDK bootstrap, and <dir>/<stack name>.access-report.md.
  Deploy it with: aws cloudformation deploy --template-file <dir>/<stack name>.template.json \\
                    --stack-name <stack name> --capabilities CAPABILITY_NAMED_IAM
  or: npx cdk deploy --app <dir>
  Needs aws-cdk-lib and constructs installed next to this package (its peer dependencies).

  --config <file>               the deployment config (JSON)
  --output <dir>                where to write (default: cdk.out)
  --previous <path>             an earlier version's template or cloud assembly (the approved one): the access
                                report then begins with "Changes since <version>", what each role may do now
                                compared by access with the same role then (as diff compares them)
  --previous-version <name>     how the report names that version, e.g. 1.4.0 (default: the --previous path)
  -h, --help                    print this help

  Exit codes: 0 template written, 1 the config or a value in it was refused (every problem is listed),
  2 the command line was wrong, or --previous could not be read.`,
  run: (args, _options, out, err) => synth(args, out, err),
};

/**
 * `synth`: the config path without a CDK app. aws-cdk-lib is loaded only here, so that verify and
 * credential-process (which an AWS SDK runs at every credential refresh) start without it.
 */
async function synth(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'config': { type: 'string' },
      'output': { type: 'string', default: 'cdk.out' },
      'previous': { type: 'string' },
      'previous-version': { type: 'string' },
    },
  });
  requireFlags(values, ['config']);
  if (values['previous-version'] !== undefined && values.previous === undefined) {
    throw new UsageError('--previous-version names the version --previous reads: give --previous <template or cloud assembly> too');
  }
  const previous = values.previous === undefined ? undefined : { template: values.previous, version: values['previous-version'] ?? values.previous };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeConfig } = require('../../config/synth') as typeof import('../../config/synth');
  try {
    const result = synthesizeConfig(values.config!, values.output!, previous);
    out(`wrote ${result.templateFile}`);
    out(`wrote ${result.reportFile}`);
    out(`Deploy: aws cloudformation deploy --template-file ${result.templateFile} --stack-name ${result.stackName} --capabilities CAPABILITY_NAMED_IAM`);
    return 0;
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return e instanceof AuditInputError ? 2 : 1;
  }
}
