/**
 * Every action the library emits exists in the Service Authorization Reference, and every resource it is
 * paired with is of a resource type the action accepts ("*" only for actions that accept nothing else).
 * A typo or an AWS rename fails here.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaTargetRole, DataplaneBaseRole, DataplaneIdentity } from '../../lib';
import { deployOnPaper } from '../support/cloudformation';
import { CUSTOMER_ACCOUNT, FULL_TARGET_ROLE_PROPS, VENDOR_ACCOUNT } from '../support/full-options';
import { actionExists, expandAction, namesResourceOfType, resourceTypesOf } from '../support/service-reference';
import { exampleApp, newStack } from '../support/stacks';

interface EmittedStatement {
  readonly where: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources?: string[];
  readonly notResources?: string[];
}

const asArray = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value as string]);

/** Every statement of every permission and trust policy in the templates, resolved. */
function emittedStatements(): EmittedStatement[] {
  const stack = newStack({ env: { account: CUSTOMER_ACCOUNT, region: 'eu-west-1' } });
  new AthenaTargetRole(stack, 'Full', FULL_TARGET_ROLE_PROPS);
  new AthenaTargetRole(stack, 'Defaults', { trustedRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn, resultsBucketName: 'results' });
  new AthenaTargetRole(stack, 'Catalogs', {
    ...FULL_TARGET_ROLE_PROPS,
    roleName: 'qualytics-athena-catalogs',
    catalogs: [
      { catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales'] },
      { catalogName: 's3tablescatalog/raw-tables' },
      { catalogName: 'partner_catalog/shared', dataSourceName: 'partner_data' },
    ],
  });
  const identities = [
    DataplaneIdentity.eksPodIdentity(),
    DataplaneIdentity.irsa({ oidcProviderArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC`, namespace: 'q' }),
    DataplaneIdentity.ec2Instance(),
    DataplaneIdentity.fromPrincipal(new iam.AccountPrincipal(VENDOR_ACCOUNT)),
  ];
  identities.forEach((identity, index) => new DataplaneBaseRole(stack, `Base${index}`, {
    identity,
    targetRoleArns: [`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/qualytics-athena-access`],
    targetAccountIds: [CUSTOMER_ACCOUNT],
    targetRoleNamePrefix: 'qualytics-athena-',
  }));
  const { stacks } = exampleApp();
  const templates = [stack, stacks.selfHosted, stacks.managedCustomer, stacks.managedVendor].map((s) => ({
    name: s.stackName,
    resolved: deployOnPaper(Template.fromStack(s).toJSON(), {
      account: CUSTOMER_ACCOUNT,
      region: 'eu-west-1',
      // Only the managed customer stack takes parameters; CloudFormation refuses values for undeclared ones.
      parameters: s === stacks.managedCustomer
        ? { BaseRoleArn: `arn:aws:iam::${VENDOR_ACCOUNT}:role/acme-dataplane-role`, ExternalId: 'x-1', ResultsBucket: 'results' }
        : {},
    }),
  }));

  const statements: EmittedStatement[] = [];
  for (const { name, resolved } of templates) {
    for (const [id, resource] of Object.entries(resolved.resources)) {
      const documents = [resource.Properties.PolicyDocument, resource.Properties.AssumeRolePolicyDocument,
        ...(resource.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)].filter(Boolean);
      for (const document of documents) {
        for (const s of document.Statement) {
          statements.push({
            where: `${name}/${id}${s.Sid ? `/${s.Sid}` : ''}`,
            effect: s.Effect,
            actions: asArray(s.Action),
            // Trust policies name no resource: the role itself is the resource.
            resources: s.Principal ? undefined : asArray(s.Resource),
            notResources: s.NotResource ? asArray(s.NotResource) : undefined,
          });
        }
      }
    }
  }
  return statements;
}

const statements = emittedStatements();
const emittedActions = [...new Set(statements.flatMap((s) => s.actions))].sort();

test('the enumeration covers the permission and trust policies of every construct', () => {
  expect(emittedActions).toEqual(expect.arrayContaining([
    'athena:StartQueryExecution', 'athena:GetQueryResultsStream', 'athena:ListDataCatalogs', 'glue:GetPartitions',
    's3:PutObject', 'kms:GenerateDataKey', 'lakeformation:GetDataAccess', 'sts:AssumeRole', 'sts:TagSession',
    'sts:AssumeRoleWithWebIdentity', 's3tables:GetTableData', 's3tables:ListNamespaces',
  ]));
});

test.each(emittedActions)('%s exists in the Service Authorization Reference', async (action) => {
  if (action.includes('*')) {
    expect(await expandAction(action)).not.toEqual([]);
  } else {
    expect(await actionExists(action)).toBe(true);
  }
});

/** Each (statement, action, resource) pairing that the action does not accept, as a readable line. */
async function mismatches(statement: EmittedStatement): Promise<string[]> {
  const problems: string[] = [];
  const actions = (await Promise.all(statement.actions.map(async (a) => (a.includes('*') ? expandAction(a) : [a])))).flat();
  for (const action of actions) {
    const types = await resourceTypesOf(action);
    for (const resource of statement.resources ?? []) {
      if (resource === '*') {
        // A Deny on "*" is the broadest, safest form of a guardrail; an Allow on "*" must be unavoidable.
        if (types.length > 0 && statement.effect === 'Allow') problems.push(`${action} accepts ${types.map((t) => t.name)} but is given "*"`);
      } else if (types.length === 0) {
        problems.push(`${action} accepts only "*" but is given ${resource}`);
      } else if (!types.some((type) => namesResourceOfType(resource, type))) {
        problems.push(`${action} accepts ${types.map((t) => t.name)}, not ${resource}`);
      }
    }
  }
  for (const resource of statement.notResources ?? []) {
    const allTypes = (await Promise.all(actions.map(resourceTypesOf))).flat();
    if (!allTypes.some((type) => namesResourceOfType(resource, type))) problems.push(`NotResource ${resource} names no resource of its actions`);
  }
  return problems.map((p) => `${statement.where}: ${p}`);
}

test('every resource is of a type its action accepts, and "*" goes only to actions that accept nothing else', async () => {
  const problems = (await Promise.all(statements.map(mismatches))).flat();
  expect(problems).toEqual([]);
});
