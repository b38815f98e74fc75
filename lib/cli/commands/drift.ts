import { parseArgs } from 'node:util';
import { IAMClient } from '@aws-sdk/client-iam';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { DEPLOYED_BLIND_SPOTS, DeployedPrincipalRef, readDeployedPrincipal } from '../../audit/deployed';
import { compareDrift } from '../../audit/drift';
import { formatDrift } from '../../audit/drift-format';
import { AuditInputError } from '../../audit/errors';
import { PrincipalPermissions } from '../../audit/principal';
import { selectPrincipal } from '../../audit/sources';
import { TemplateInputs } from '../../audit/template';
import { readInputPrincipals } from '../audit-flags';
import { Command, UsageError } from '../command';
import { requireFlags } from '../flags';

/** `drift`: has the deployed role (or access key user) changed since the template it was approved from? */
export const DRIFT_COMMAND: Command = {
  usage: `drift (--role-arn <arn> | --user-name <name>) --expected <template | cloud assembly dir | config | terraform show -json> [options]
  Compares a deployed target role (or access key user) with what the approved template, cloud assembly, config or
  Terraform plan or state creates: access missing (where the dataplane will fail), access added by hand, a changed trust policy or
  permissions boundary, Lake Formation grants added or missing. Policies match by content, never by name.
  Run it with read-only credentials in the role's account (the auditor policy in the README).

  --role-arn <arn>              the deployed role
  --user-name <name>            the deployed access key user, instead of a role
  --expected <path>             the approved synthesized template (JSON), cloud assembly directory (cdk.out),
                                deployment config (JSON, as synth --config takes it; needs aws-cdk-lib), or the
                                output of terraform show -json (of the state, or of a saved plan)
  --parameters Key=Value ...    the template parameters it was deployed with (default: the template's defaults)
  --logical-id <id>             the principal's logical id, when the template creates several (of Terraform
                                output, its resource address: module.this.aws_iam_role.this)
  --skip-lake-formation         do not read or compare Lake Formation grants
  --region <region>             the region of the Lake Formation grants (default: the SDK's, e.g. AWS_REGION)
  --json                        print the report as one JSON document
  -h, --help                    print this help

  Endpoints: AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_LAKEFORMATION, else AWS_ENDPOINT_URL, else AWS's.

  Exit codes: 0 the deployed principal matches, 1 it drifted, 2 the command line or the template (or plan) was wrong
  (or the principal could not be read).`,
  run: (args, _options, out) => drift(args, out),
};

/** The region IAM is signed for when none is given: IAM is global, one endpoint per partition. */
const IAM_REGION_BY_PARTITION: Record<string, string> = { 'aws': 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

async function drift(args: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'role-arn': { type: 'string' },
      'user-name': { type: 'string' },
      'expected': { type: 'string' },
      'parameters': { type: 'string', multiple: true },
      'logical-id': { type: 'string' },
      'skip-lake-formation': { type: 'boolean' },
      'region': { type: 'string' },
      'json': { type: 'boolean' },
    },
  });
  requireFlags(values, ['expected']);
  if ((values['role-arn'] === undefined) === (values['user-name'] === undefined)) {
    throw new UsageError('Give either --role-arn <arn> (a role) or --user-name <name> (an access key user).');
  }
  const parameters = parseParameters([...(values.parameters ?? []), ...positionals], values.parameters !== undefined);
  const ref: DeployedPrincipalRef = values['role-arn'] !== undefined ? { roleArn: values['role-arn'] } : { userName: values['user-name']! };
  const partition = /^arn:([\w-]+):/.exec(values['role-arn'] ?? '')?.[1] ?? 'aws';
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const iam = new IAMClient({ region: region ?? IAM_REGION_BY_PARTITION[partition] ?? 'us-east-1' });
  const lakeFormation = values['skip-lake-formation'] === true ? undefined : new LakeFormationClient({ region });
  try {
    const deployed = await readDeployedPrincipal(ref, { iam, lakeFormation });
    const expected = expectedPrincipal(values.expected!, deployed, { parameters, ...(region ? { region } : {}) }, values['logical-id']);
    const report = compareDrift(expected, deployed, DEPLOYED_BLIND_SPOTS);
    if (values.json === true) out(JSON.stringify(report, undefined, 2));
    else formatDrift(report).forEach((line) => out(line));
    return report.drifted ? 1 : 0;
  } catch (e) {
    throw readFailure(e, ref);
  } finally {
    iam.destroy();
    lakeFormation?.destroy();
  }
}

/** The approved principal: the one the deployed ARN or name names, else `--logical-id`, else the only one of its kind. */
function expectedPrincipal(
  path: string,
  deployed: PrincipalPermissions,
  inputs: TemplateInputs,
  logicalId?: string,
): PrincipalPermissions {
  const [partition, accountId] = /^arn:([\w-]+):iam::(\d{12}):/.exec(deployed.arn ?? '')?.slice(1) ?? [];
  const principals = readInputPrincipals(path, { ...inputs, ...(accountId ? { accountId, partition } : {}) })
    .filter((p) => p.kind === deployed.kind);
  if (logicalId !== undefined) return selectPrincipal(principals, { logicalId }, path);
  const named = principals.filter((p) => p.arn === deployed.arn || p.name === deployed.name);
  if (named.length === 1) return named[0];
  if (principals.length === 1) return principals[0];
  if (principals.length === 0) throw new AuditInputError(`${path}: creates no IAM ${deployed.kind}`);
  return selectPrincipal(principals, { principal: deployed.arn }, path);
}

/** `--parameters Key=Value Key2=Value2` (or the flag repeated). */
function parseParameters(pairs: string[], given: boolean): Record<string, string> {
  if (!given && pairs.length > 0) throw new UsageError(`Unexpected argument "${pairs[0]}". Template parameters follow --parameters, as Key=Value.`);
  return Object.fromEntries(pairs.map((pair) => {
    const match = /^([A-Za-z0-9]+)=(.*)$/s.exec(pair);
    if (!match) throw new UsageError(`--parameters "${pair}": expected Key=Value, e.g. --parameters RoleName=qualytics-athena ExternalId=qualytics-7f3c`);
    return [match[1], match[2]];
  }));
}

/** What went wrong reading the deployed principal, as a command-line error (exit 2). */
function readFailure(e: unknown, ref: DeployedPrincipalRef): unknown {
  const error = e as { name?: string; message?: string };
  const who = 'roleArn' in ref ? `role ${ref.roleArn}` : `user ${ref.userName}`;
  if (error.name === 'NoSuchEntityException' || error.name === 'NoSuchEntity') {
    return new AuditInputError(`The ${who} does not exist in the account of these credentials: ${error.message}`);
  }
  if (error.name === 'AccessDeniedException' || error.name === 'AccessDenied') {
    return new AuditInputError(`Reading the ${who} was refused: ${error.message}. drift needs the read-only auditor policy of the README.`);
  }
  if (error.message === 'Region is missing') {
    return new AuditInputError('Lake Formation needs a region: give --region <region> (or set AWS_REGION), or --skip-lake-formation.');
  }
  return e;
}
