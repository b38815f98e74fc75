import { CfnCondition, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessMode, AthenaTargetRoleProps } from '../../lib';
import { DEFAULT_CATALOG_NAME } from '../../lib/model/athena-query-statements';
import { DEFAULT_SESSION_NAME_PREFIX } from '../../lib/model/rules';
import { DEFAULT_RESULTS_PREFIX } from '../../lib/model/s3-locations';
import { accessKeyUserInputs, targetRoleInputs, withModuleDefaults } from '../support/terraform-inputs';

/**
 * The tests' one mapping from the constructs' props to the Terraform modules' variables (test/support/terraform-inputs.ts):
 * what each prop becomes, and the props the modules have no input for, refused by name.
 */
const ACCOUNT = '111122223333';
const TRUST = { trustedRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role', externalId: 'qualytics-7f3a9c2e' };
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

describe('the constructs\' props as the Terraform modules\' inputs', () => {
  test('the target role: every prop given becomes its variable, none left unset is given', () => {
    const stack = new Stack();
    expect(targetRoleInputs({
      ...TRUST,
      sessionNamePrefix: 'acme-q-',
      allowPodIdentitySessionTags: false,
      trustedOrganizationId: 'o-a1b2c3d4e5',
      roleName: 'acme-athena',
      path: '/qualytics/',
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', `arn:aws:iam::${ACCOUNT}:policy/acme-boundary`),
      maxSessionDuration: Duration.hours(2),
      description: 'Qualytics queries Athena',
      workGroupNames: ['qualytics'],
      catalogName: 'acme_catalog',
      glueDatabaseNames: ['sales', 'marketing_*'],
      resultsBucketName: 'acme-athena-results',
      resultsPrefix: 'athena/results',
      dataLocations: [{ bucketName: 'acme-lake', prefix: 'warehouse' }, { bucketName: 'acme-raw-*' }],
      kmsKeyArns: [KEY],
      catalogs: [{ catalogName: 's3tablescatalog/acme-tables', databaseNames: ['sales'] }, { catalogName: 'partner', dataSourceName: 'partner_source' }],
      accessMode: AccessMode.IAM_AND_LAKE_FORMATION,
      maxManagedPolicies: 12,
      guardrails: true,
    }, { account_id: ACCOUNT, query_policy_count: 3 })).toEqual({
      trusted_role_arn: TRUST.trustedRoleArn,
      external_id: TRUST.externalId,
      session_name_prefix: 'acme-q-',
      allow_pod_identity_session_tags: false,
      trusted_organization_id: 'o-a1b2c3d4e5',
      role_name: 'acme-athena',
      path: '/qualytics/',
      permissions_boundary_arn: `arn:aws:iam::${ACCOUNT}:policy/acme-boundary`,
      max_session_duration: 7200,
      description: 'Qualytics queries Athena',
      work_group_names: ['qualytics'],
      catalog_name: 'acme_catalog',
      glue_database_names: ['sales', 'marketing_*'],
      results_bucket_name: 'acme-athena-results',
      results_prefix: 'athena/results',
      data_locations: [{ bucket_name: 'acme-lake', prefix: 'warehouse' }, { bucket_name: 'acme-raw-*' }],
      kms_key_arns: [KEY],
      catalogs: [{ catalog_name: 's3tablescatalog/acme-tables', database_names: ['sales'] }, { catalog_name: 'partner', data_source_name: 'partner_source' }],
      access_mode: 'IAM_AND_LAKE_FORMATION',
      max_managed_policies: 12,
      account_id: ACCOUNT,
      query_policy_count: 3,
    });
    expect(targetRoleInputs({ ...TRUST, resultsBucketName: 'acme-athena-results', glueDatabaseNames: undefined }))
      .toEqual({ trusted_role_arn: TRUST.trustedRoleArn, external_id: TRUST.externalId, results_bucket_name: 'acme-athena-results' });
  });

  test('the Access Key user: its own props, managed query results and Lake Formation\'s', () => {
    const stack = new Stack();
    const expression = { tags: { domain: ['sales'] } };
    expect(accessKeyUserInputs({
      userName: 'acme-athena-user',
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY),
      accessKeyVersions: [1, 2],
      managedQueryResults: true,
      managedQueryResultsKmsKeyArn: KEY,
      accessMode: AccessMode.LAKE_FORMATION,
      glueDatabaseNames: ['sales'],
      lakeFormationTagExpressions: [expression],
      createLakeFormationGrants: false,
      lakeFormationDefaultDatabaseDescribe: false,
    })).toEqual({
      user_name: 'acme-athena-user',
      secret_kms_key_arn: KEY,
      access_key_versions: [1, 2],
      managed_query_results: true,
      managed_query_results_kms_key_arn: KEY,
      access_mode: 'LAKE_FORMATION',
      glue_database_names: ['sales'],
      lake_formation_tag_expressions: [expression],
      create_lake_formation_grants: false,
      lake_formation_default_database_describe: false,
    });
  });

  test('a prop the module has no input for is refused, naming it, its value and why', () => {
    const base = { ...TRUST, resultsBucketName: 'acme-athena-results' };
    const refusals: Array<[Partial<AthenaTargetRoleProps>, string]> = [
      [{ guardrails: false }, 'guardrails: false has no input in the athena-target-role module (the modules always attach the guardrails)'],
      [{ lakeFormation: true }, 'lakeFormation: true has no input in the athena-target-role module (deprecated; give accessMode, which becomes access_mode)'],
      [{ lakeFormationNestedStacks: 2 }, 'lakeFormationNestedStacks: 2 has no input'],
      [{ maxInlinePolicyLength: 0 }, 'maxInlinePolicyLength: 0 has no input'],
      [{ lakeFormationCondition: new CfnCondition(new Stack(), 'UsesLakeFormation') },
        'has no input in the athena-target-role module (a CloudFormation condition; the module decides by access_mode)'],
      [{ notAProp: 1 } as unknown as Partial<AthenaTargetRoleProps>, 'notAProp: 1 has no input in the athena-target-role module (not a prop of the construct)'],
    ];
    for (const [props, message] of refusals) {
      expect(() => targetRoleInputs({ ...base, ...props })).toThrow(message);
    }
    expect(() => targetRoleInputs({ ...base, ...refusals[0][0] })).toThrow('a test giving it would compare a construct and a module configured differently. Leave it unset.');
    expect(() => accessKeyUserInputs({ resultsBucketName: 'acme-athena-results', maxInlinePolicyLength: 2048 }))
      .toThrow('maxInlinePolicyLength: 2048 has no input in the athena-access-key-user module');
    expect(() => targetRoleInputs({ trustedRoleArn: TRUST.trustedRoleArn, resultsBucketName: 'acme-athena-results' }))
      .toThrow('externalId: undefined has no input in the athena-target-role module: external_id is required');
  });

  test('the module\'s defaults for what was left out: the constructs\' defaults', () => {
    expect(withModuleDefaults(targetRoleInputs({ ...TRUST, resultsBucketName: 'acme-athena-results' }))).toEqual({
      trusted_role_arn: TRUST.trustedRoleArn,
      external_id: TRUST.externalId,
      results_bucket_name: 'acme-athena-results',
      results_prefix: DEFAULT_RESULTS_PREFIX,
      work_group_names: ['primary'],
      glue_database_names: ['*'],
      catalog_name: DEFAULT_CATALOG_NAME,
      session_name_prefix: DEFAULT_SESSION_NAME_PREFIX,
    });
    expect(withModuleDefaults(accessKeyUserInputs({ managedQueryResults: true, glueDatabaseNames: ['sales'] })))
      .toEqual({ managed_query_results: true, work_group_names: ['primary'], glue_database_names: ['sales'], catalog_name: DEFAULT_CATALOG_NAME });
  });
});
