import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrganizationRolloutStack } from '../../examples/organization-rollout-stack';
import { AccessMode, AthenaTargetRoleStackSet, AthenaTargetRoleStackSetProps, AthenaTargetRoleTemplate, DataplaneBaseRole, DataplaneIdentity } from '../../lib';
import { deployOnPaper, managedPolicyDocuments } from '../support/cloudformation';
import { NAG_PACKS, unacknowledgedFindings } from '../support/nag';
import { podIdentityVendorBaseRole } from '../support/pod-identity';
import { decideChainedAssumeRole, deployedRole, POD_IDENTITY_TAGS, sessionArn } from '../support/simulate';

const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const app = new App();
const example = new OrganizationRolloutStack(app, 'Rollout', {
  env: { account: '111111111111', region: 'us-east-1' },
  baseRoleArn: BASE_ROLE,
  externalId: 'qualytics-7f3c2a91-acme',
  organizationalUnitIds: ['ou-ab12-cdef3456'],
  accountIds: ['222222222222', '333333333333'],
});
const template = Template.fromStack(example);
const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0].Properties;

describe('the organization-wide StackSet', () => {
  test('is service-managed, deploys automatically to new accounts, and may create named IAM roles', () => {
    expect(stackSet).toMatchObject({
      StackSetName: 'qualytics-athena-target-role',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{
        Regions: ['us-east-1'],
        DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'], Accounts: ['222222222222', '333333333333'], AccountFilterType: 'INTERSECTION' },
      }],
    });
  });

  test('carries the generated customer template, unchanged, and its parameters', () => {
    expect(JSON.parse(stackSet.TemplateBody)).toEqual(JSON.parse(AthenaTargetRoleTemplate.render()));
    expect(Buffer.byteLength(stackSet.TemplateBody)).toBeLessThan(51_200);
    expect(Object.fromEntries(stackSet.Parameters.map((p: any) => [p.ParameterKey, p.ParameterValue]))).toEqual({
      BaseRoleArn: BASE_ROLE,
      ExternalId: 'qualytics-7f3c2a91-acme',
      WorkGroups: 'analytics',
      ResultsBucket: 'acme-athena-results',
      GlueDatabases: 'sales,marketing',
      DataLocations: 'acme-data-lake/warehouse',
    });
  });

  test('each account\'s stack instance deploys with those parameters', () => {
    const parameters = Object.fromEntries(stackSet.Parameters.map((p: any) => [p.ParameterKey, p.ParameterValue]));
    const deployed = deployOnPaper(JSON.parse(stackSet.TemplateBody), { account: '222222222222', region: 'us-east-1', parameters });
    const role = Object.values(deployed.resources).find((r) => r.Type === 'AWS::IAM::Role')!;
    expect(role.Properties.RoleName).toBe('qualytics-athena-access');
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ AWS: BASE_ROLE });
    expect(JSON.stringify(managedPolicyDocuments(deployed))).toContain('arn:aws:s3:::acme-data-lake/warehouse/*');
  });

  test('each account\'s role lets in a vendor base role on EKS Pod Identity, with its transitive session tags', async () => {
    const parameters = Object.fromEntries(stackSet.Parameters.map((p: any) => [p.ParameterKey, p.ParameterValue]));
    // The base role's policy names qualytics-athena-* roles of 111122223333; the role is the same in every account.
    const deployed = deployOnPaper(JSON.parse(stackSet.TemplateBody), { account: '111122223333', region: 'us-east-1', parameters });
    const role = deployedRole(deployed, Object.keys(deployed.resources).find((id) => deployed.resources[id].Type === 'AWS::IAM::Role')!);
    const base = podIdentityVendorBaseRole();
    expect(await decideChainedAssumeRole(role, {
      principal: sessionArn(base, 'eks-qualytics-spark-7d9f'),
      callerPolicies: base.identityPolicies,
      externalId: 'qualytics-7f3c2a91-acme',
      sessionName: 'qualytics-athena-conn42',
      transitiveTags: POD_IDENTITY_TAGS,
    })).toEqual({ assumeRole: 'Allowed', tagSession: 'Allowed', credentials: true });
  });

  test('gives the base role permission for exactly the StackSet\'s accounts', () => {
    const vendor = new Stack(new App(), 'Vendor', { env: { account: '315179787488', region: 'us-east-1' } });
    const baseRole = new DataplaneBaseRole(vendor, 'BaseRole', { identity: DataplaneIdentity.ec2Instance() });
    example.rollout.grantAssumeTo(baseRole);
    const policy = Object.values(Template.fromStack(vendor).findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument;
    const arn = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/qualytics-athena-access`]] });
    expect(policy.Statement[0].Resource).toEqual([arn('222222222222'), arn('333333333333')]);
  });

  test.each(NAG_PACKS)('cdk-nag %s finds nothing unacknowledged', (_name, pack) => {
    expect(unacknowledgedFindings(pack(), example)).toEqual([]);
  });
});

describe('options and bad input', () => {
  const base: AthenaTargetRoleStackSetProps = {
    stackSetName: 'qualytics', organizationalUnitIds: ['r-ab12'], baseRoleArn: BASE_ROLE, externalId: 'qualytics-ext-1', resultsBucketName: 'results',
  };
  const build = (props: Partial<AthenaTargetRoleStackSetProps>) =>
    new AthenaTargetRoleStackSet(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), 'Set', { ...base, ...props });

  test('managed query results: each account\'s stack instance deploys in Managed mode, with the key and no S3 results access', () => {
    const key = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const set = build({ resultsBucketName: undefined, managedQueryResults: true, managedQueryResultsKmsKeyArn: key });
    const props = Stack.of(set).resolve((set.stackSet as any)._cfnProperties);
    const parameters = Object.fromEntries(props.parameters.map((p: any) => [p.parameterKey, p.parameterValue]));
    expect(parameters).toMatchObject({ QueryResults: 'Managed', ManagedQueryResultsKmsKeyArn: key });
    expect(parameters.ResultsBucket).toBeUndefined();
    const deployed = deployOnPaper(JSON.parse(props.templateBody), { account: '222222222222', region: 'eu-west-1', parameters });
    const statements = managedPolicyDocuments(deployed).flatMap((d) => d.Statement);
    expect(statements.map((s) => s.Sid).filter((sid) => sid.startsWith('QueryResults'))).toEqual([]);
    expect(statements.find((s) => s.Sid === 'ManagedQueryResultsKey').Resource).toBe(key);
    expect(Object.keys(deployed.outputs).filter((id) => /OutputLocation/.test(id))).toEqual([]);
  });

  test('accessMode sets the template\'s LakeFormation parameter as the deprecated lakeFormation did; LAKE_FORMATION is refused', () => {
    const lakeFormationOf = (props: Partial<AthenaTargetRoleStackSetProps>) => {
      const set = build(props);
      return Stack.of(set).resolve((set.stackSet as any)._cfnProperties).parameters.find((p: any) => p.parameterKey === 'LakeFormation')?.parameterValue;
    };
    expect(lakeFormationOf({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION })).toBe('true');
    expect(lakeFormationOf({ lakeFormation: true })).toBe('true');
    expect(lakeFormationOf({ accessMode: AccessMode.IAM })).toBe('false');
    expect(lakeFormationOf({})).toBeUndefined();
    expect(() => build({ accessMode: AccessMode.LAKE_FORMATION }))
      .toThrow(/^Invalid accessMode: "LAKE_FORMATION"\. The customer template offers accessMode IAM and IAM_AND_LAKE_FORMATION/);
    expect(() => build({ accessMode: AccessMode.IAM_AND_LAKE_FORMATION, lakeFormation: false })).toThrow('Invalid lakeFormation: false.');
  });

  test('a results prefix with a trailing slash is passed on: the template takes it, as the constructs do', () => {
    expect(() => build({ resultsPrefix: 'athena/' })).not.toThrow();
  });

  test('the whole organization, managed by a delegated administrator, in another Region', () => {
    const set = build({ delegatedAdmin: true, region: 'us-west-2', lakeFormation: true, kmsKeyArns: ['arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] });
    const props = Stack.of(set).resolve((set.stackSet as any)._cfnProperties);
    expect(props.callAs).toBe('DELEGATED_ADMIN');
    expect(props.stackInstancesGroup[0]).toEqual({ regions: ['us-west-2'], deploymentTargets: { organizationalUnitIds: ['r-ab12'] } });
    expect(set.targetRoleArns).toEqual([]);
    expect(() => set.grantAssumeTo({} as DataplaneBaseRole)).toThrow(/Invalid accountIds: undefined\. .*list them in accountIds/);
  });

  test('accepts tokens for every template parameter, leaving them to the template\'s AllowedPattern at deploy time', () => {
    const stack = new Stack(new App(), 'Tokens', { env: { region: 'eu-west-1' } });
    const text = (id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;
    const list = (id: string) => new CfnParameter(stack, id, { type: 'CommaDelimitedList' }).valueAsList;
    const set = new AthenaTargetRoleStackSet(stack, 'Set', {
      stackSetName: 'qualytics',
      organizationalUnitIds: [text('Ou')],
      region: text('Region'),
      baseRoleArn: text('BaseRoleArn'),
      externalId: text('ExternalId'),
      roleName: text('RoleName'),
      resultsBucketName: text('ResultsBucket'),
      resultsPrefix: text('ResultsPrefix'),
      workGroupNames: list('WorkGroups'),
      glueDatabaseNames: ['sales', text('OtherDatabase')],
      dataLocations: list('DataLocations'),
      kmsKeyArns: [text('KmsKey')],
    });
    const parameters = Object.fromEntries(stack.resolve((set.stackSet as any)._cfnProperties).parameters
      .map((p: any) => [p.parameterKey, p.parameterValue]));
    expect(parameters).toEqual({
      BaseRoleArn: { Ref: 'BaseRoleArn' },
      ExternalId: { Ref: 'ExternalId' },
      RoleName: { Ref: 'RoleName' },
      ResultsBucket: { Ref: 'ResultsBucket' },
      ResultsPrefix: { Ref: 'ResultsPrefix' },
      WorkGroups: { 'Fn::Join': [',', { Ref: 'WorkGroups' }] },
      GlueDatabases: { 'Fn::Join': ['', ['sales,', { Ref: 'OtherDatabase' }]] },
      DataLocations: { 'Fn::Join': [',', { Ref: 'DataLocations' }] },
      KmsKeyArns: { Ref: 'KmsKey' },
    });
  });

  test('still checks literal values next to tokens', () => {
    const stack = new Stack(new App(), 'Mixed', { env: { region: 'eu-west-1' } });
    const token = new CfnParameter(stack, 'Db', { type: 'String' }).valueAsString;
    expect(() => new AthenaTargetRoleStackSet(stack, 'Set', { ...base, baseRoleArn: 'arn:aws:iam::315179787488:role/team*/x', glueDatabaseNames: [token] }))
      .toThrow(/Invalid baseRoleArn: .*without wildcards/);
  });

  test.each([
    [{ organizationalUnitIds: ['ou-bad'] }, /Invalid organizationalUnitIds\[0\]: "ou-bad"/],
    [{ organizationalUnitIds: [] }, /Invalid organizationalUnitIds: \[\]/],
    [{ accountIds: ['12345'] }, /Invalid accountIds\[0\]: "12345"/],
    [{ region: 'mars' }, /Invalid region: "mars"/],
    [{ baseRoleArn: 'arn:aws:sts::315179787488:assumed-role/x/y' }, /Invalid baseRoleArn/],
    [{ externalId: '111122223333' }, /Invalid externalId/],
    [{ roleName: 'bad name' }, /Invalid roleName/],
    [{ resultsBucketName: 'Bad' }, /Invalid resultsBucketName/],
    [{ resultsPrefix: '/x' }, /Invalid resultsPrefix/],
    // IAM policies hold only Latin-1 (reference_iam-quotas) and "${" starts a policy variable (reference_policies_variables).
    [{ resultsPrefix: 'athena/${aws:username}' }, /Invalid resultsPrefix: .*starts an IAM policy variable/],
    [{ dataLocations: ['acme-lake/données/😀'] }, /Invalid dataLocations: "acme-lake\/données\/😀"\. The customer template accepts/],
    [{ dataLocations: ['acme-lake/a/${aws:username}'] }, /Invalid dataLocations: .*The customer template accepts/],
    [{ kmsKeyArns: ['alias/x'] }, /Invalid kmsKeyArns\[0\]/],
    [{ workGroupNames: ['a', 'b', 'c', 'd'] }, /Invalid workGroupNames: "a,b,c,d"\. The customer template accepts up to 3/],
    [{ glueDatabaseNames: ['Sales'] }, /Invalid glueDatabaseNames: "Sales"/],
    [{ dataLocations: ['s3://bucket/x'] }, /Invalid dataLocations: "s3:\/\/bucket\/x"/],
    // The template cannot compare its parameters; the StackSet knows the values and does.
    [{ resultsPrefix: 'lake/results', dataLocations: ['other-bucket', 'results/lake'] },
      /Invalid resultsPrefix and dataLocations\[1\]: .*The query results location .* lies inside the data location/],
    // Managed query results: the template's rules would refuse these at deploy time; the StackSet refuses them at synth.
    [{ resultsBucketName: undefined }, /^Invalid resultsBucketName: undefined\. Give the bucket Athena writes query results to, or set managedQueryResults: true/],
    [{ managedQueryResults: true }, /^Invalid resultsBucketName: "results"\. With managedQueryResults: true .*not both\.$/],
    [{ resultsBucketName: undefined, managedQueryResults: true, resultsPrefix: 'athena' }, /^Invalid resultsPrefix: "athena"\. With managed query results/],
    [{ managedQueryResultsKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      /^Invalid managedQueryResultsKmsKeyArn: .*applies only with managedQueryResults: true/],
    [{ resultsBucketName: undefined, managedQueryResults: true, managedQueryResultsKmsKeyArn: 'alias/x' }, /^Invalid managedQueryResultsKmsKeyArn: "alias\/x"/],
  ])('refuses %j', (bad, message) => {
    expect(() => build(bad)).toThrow(message);
  });
});
