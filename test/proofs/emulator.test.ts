import * as path from 'path';
import { Moto, startMoto } from '../support/moto';

/**
 * The customer template, templates/athena-target-role.json, deployed to moto_server (moto, an AWS API emulator,
 * https://docs.getmoto.org/en/latest/docs/server_mode.html) with the AWS CLI, as a customer's local pipeline
 * would. moto refuses a whole stack when a policy's Statement list holds `Fn::If` with `AWS::NoValue`
 * (MalformedPolicyDocument), so the template keeps its conditions on resources, never inside statement lists.
 * moto checks no permission and ignores a role's ManagedPolicyArns: this shows which resources are created and
 * which managed policies name the role themselves, not what they allow (test/deploy/customer-template.cases.ts
 * does that).
 */
const TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'athena-target-role.json');
let moto: Moto;
const aws = (...args: string[]): any => moto.aws(...args);
beforeAll(async () => {
  moto = await startMoto();
}, 180_000);
afterAll(() => moto?.stop());

const BASE = { BaseRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', ExternalId: 'qualytics-7f3c2a91-acme' };

describe.each<[string, Record<string, string>, string[]]>([
  ['S3 query results', { ...BASE, ResultsBucket: 'acme-athena-results', RoleName: 'qualytics-s3' }, ['Part1', 'UnlessUseManagedQueryResults']],
  ['managed query results with a key, data locations and Lake Formation', {
    ...BASE,
    RoleName: 'qualytics-managed',
    QueryResults: 'Managed',
    ManagedQueryResultsKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    DataLocations: 'acme-lake/warehouse',
    LakeFormation: 'true',
  }, ['Part1', 'WhenHasDataLocations', 'WhenHasManagedQueryResultsKmsKeyArn', 'WhenUseLakeFormation', 'WhenUseManagedQueryResults']],
])('moto_server deploys the customer template with %s', (name, parameters, parts) => {
  const stackName = `customer-${parameters.RoleName}`;
  let policies: string[];
  beforeAll(() => {
    aws('cloudformation', 'create-stack', '--stack-name', stackName, '--template-body', `file://${TEMPLATE}`,
      '--capabilities', 'CAPABILITY_NAMED_IAM', '--parameters', ...Object.entries(parameters).map(([k, v]) => `ParameterKey=${k},ParameterValue=${v}`));
    policies = aws('iam', 'list-policies', '--scope', 'Local').Policies.map((p: any) => p.PolicyName)
      .filter((p: string) => p.startsWith(`${stackName}-`));
  });

  test(`creates the stack (${name})`, () => {
    expect(aws('cloudformation', 'describe-stacks', '--stack-name', stackName).Stacks[0].StackStatus).toBe('CREATE_COMPLETE');
    expect(aws('iam', 'get-role', '--role-name', parameters.RoleName).Role.RoleName).toBe(parameters.RoleName);
  });

  test('creates exactly the managed policies whose condition holds', () => {
    const created = policies.map((p) => /TargetRoleQueryPolicy(\w+?)[0-9A-F]{8}-/.exec(p)?.[1]).sort();
    expect(created).toEqual([...parts].sort());
  });

  test('the conditional policies name the role themselves', () => {
    const attached = aws('iam', 'list-attached-role-policies', '--role-name', parameters.RoleName).AttachedPolicies.map((p: any) => p.PolicyName);
    expect(attached.sort()).toEqual(policies.filter((p) => !p.includes('QueryPolicyPart')).sort());
  });
});
