/**
 * The diff by access, on pairs of real templates whose right answer follows from IAM's evaluation rules
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an Allow grants
 * the requests its action, resource and condition match; a pattern inside another grants a subset of it; an
 * explicit Deny overrides any Allow. Each pair is cross-checked with the real evaluator (test/audit/support.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisions, expectSimulatorAgrees, REGION, roleOf, targetRoleTemplate } from './support';
import { AccessMode } from '../../lib';
import { compareDocuments, compareConditions, targetCovers } from '../../lib/audit/access';
import { comparePrincipals } from '../../lib/audit/compare';
import { PrincipalPermissions } from '../../lib/audit/principal';
import { renderComparisonMarkdown } from '../../lib/audit/render';
import { templateFilePrincipals } from '../../lib/audit/sources';
import { CUSTOMER_ACCOUNT, VENDOR_ACCOUNT } from '../support/full-options';

jest.setTimeout(120_000);

const BASE_PROPS = {
  trustedRoleArn: `arn:aws:iam::${VENDOR_ACCOUNT}:role/acme-dataplane-role`,
  externalId: 'qualytics-acme-7f3c9e',
  resultsBucketName: 'acme-athena-results',
};
const glue = (resource: string) => `arn:aws:glue:${REGION}:${CUSTOMER_ACCOUNT}:${resource}`;

describe('one database added', () => {
  const comparison = comparePrincipals(
    roleOf(targetRoleTemplate({ ...BASE_PROPS, glueDatabaseNames: ['sales'] })),
    roleOf(targetRoleTemplate({ ...BASE_PROPS, glueDatabaseNames: ['sales', 'finance'] })));

  test('broadens, adding the Glue reads on exactly that database and its tables', () => {
    expect(comparison.broadens).toBe(true);
    expect(comparison.trust.changed || comparison.permissions.denies.length > 0).toBe(false);
    expect(new Set(comparison.permissions.allows.map((c) => c.kind))).toEqual(new Set(['added']));
    expect(new Set(comparison.permissions.allows.map((c) => c.grant.target))).toEqual(new Set([glue('database/finance'), glue('table/finance/*')]));
    expect(comparison.permissions.allows.map((c) => c.action)).toContain('glue:GetTable');
    expect(comparison.permissions.allows.every((c) => c.accessLevel === 'Read')).toBe(true);
  });

  test('the simulator allows each added request after and not before', async () => {
    expect(await expectSimulatorAgrees(comparison)).toBeGreaterThan(5);
  });

  test('Markdown: grouped by service, each action with its access level, the verdict', () => {
    const markdown = renderComparisonMarkdown(comparison);
    expect(markdown).toContain('**This change broadens access**');
    expect(markdown).toContain('#### AWS Glue (`glue`)');
    expect(markdown).toContain(`| added | glue:GetDatabase | Read | \`${glue('database/finance')}\` |  | yes |`);
  });
});

describe('a resource narrowed', () => {
  // Every database (the default) to one: Glue's database/* becomes database/sales (and the default database).
  const comparison = comparePrincipals(
    roleOf(targetRoleTemplate(BASE_PROPS)),
    roleOf(targetRoleTemplate({ ...BASE_PROPS, glueDatabaseNames: ['sales'] })));

  test('is a narrowing only: nothing added, the wide patterns narrowed to the database', () => {
    expect(comparison.changed).toBe(true);
    expect(comparison.broadens).toBe(false);
    expect(new Set(comparison.permissions.allows.map((c) => c.kind))).toEqual(new Set(['narrowed']));
    const getTable = comparison.permissions.allows.filter((c) => c.action === 'glue:GetTable');
    expect(getTable.map((c) => [c.grant.target, c.counterparts!.map((g) => g.target)])).toEqual(expect.arrayContaining([
      [glue('database/*'), [glue('database/sales')]],
      [glue('table/*/*'), [glue('table/sales/*')]],
    ]));
  });

  test('the simulator allows a request outside the new pattern before and not after', async () => {
    expect(await expectSimulatorAgrees(comparison)).toBeGreaterThan(5);
    const [before, after] = await decisions(comparison, comparison.permissions.allows[0], 'permissions');
    expect([before, after]).toEqual(['Allowed', 'ImplicitlyDenied']);
  });
});

describe('the same access re-packed into other policies', () => {
  const original = targetRoleTemplate({ ...BASE_PROPS, glueDatabaseNames: ['sales', 'finance'] });

  /** Every statement in a policy of its own, reversed, without Sids, one-element arrays as strings, resources split in two. */
  function repacked(template: Record<string, any>): Record<string, any> {
    const resources: Record<string, any> = {};
    const roleId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::IAM::Role')!;
    const statements = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r: any) => r.Properties.PolicyDocument.Statement).reverse();
    statements.forEach(({ Sid: _sid, ...statement }: any, i: number) => {
      const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      const halves = list.length > 1 ? [list.slice(0, 1), list.slice(1)] : [list];
      halves.forEach((half: unknown[], j: number) => {
        const one = { ...statement, Resource: half.length === 1 ? half[0] : half, Action: [statement.Action].flat().reverse() };
        resources[`Repacked${i}x${j}`] = {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [one] }, Roles: [{ Ref: roleId }] },
        };
      });
    });
    const role = structuredClone(template.Resources[roleId]);
    delete role.Properties.ManagedPolicyArns;
    return { ...template, Resources: { [roleId]: role, ...resources } };
  }

  test('is no change', () => {
    const comparison = comparePrincipals(roleOf(original), roleOf(repacked(original)));
    expect(roleOf(repacked(original)).policies.length).toBeGreaterThan(roleOf(original).policies.length);
    expect(comparison.changed).toBe(false);
    expect(renderComparisonMarkdown(comparison)).toContain('**No change in access.**');
  });
});

describe('a guardrail removed', () => {
  const comparison = comparePrincipals(
    roleOf(targetRoleTemplate(BASE_PROPS)),
    roleOf(targetRoleTemplate({ ...BASE_PROPS, guardrails: false })));

  test('broadens: writes are no longer denied, the allows unchanged', () => {
    expect(comparison.broadens).toBe(true);
    expect(comparison.permissions.allows).toEqual([]);
    const denies = comparison.permissions.denies;
    expect(denies.length).toBeGreaterThan(50);
    expect(denies.every((c) => c.kind === 'removed' && c.broadens)).toBe(true);
    expect(denies.map((c) => c.action)).toEqual(expect.arrayContaining(['glue:DeleteDatabase', 's3:DeleteObject', 'athena:DeleteWorkGroup']));
    expect(denies.some((c) => c.accessLevel === 'Read' || c.accessLevel === 'List')).toBe(false);
  });

  test('the simulator (with a policy allowing everything attached) denies each write before and allows it after', async () => {
    expect(await expectSimulatorAgrees(comparison, 20)).toBeGreaterThan(10);
  });
});

describe('a trust condition dropped', () => {
  const { externalId: _dropped, ...withoutExternalId } = BASE_PROPS;
  const comparison = comparePrincipals(roleOf(targetRoleTemplate(BASE_PROPS)), roleOf(targetRoleTemplate(withoutExternalId)));

  test('broadens: AssumeRole without sts:ExternalId', () => {
    expect(comparison.broadens).toBe(true);
    expect(comparison.permissions.changed).toBe(false);
    expect(comparison.trust.allows.map((c) => [c.action, c.kind])).toEqual([['sts:AssumeRole', 'condition-loosened']]);
    expect(comparison.trust.allows[0].counterparts![0].condition).toContainEqual({ operator: 'StringEquals', key: 'sts:externalid', values: [BASE_PROPS.externalId] });
  });

  test('the simulator refuses AssumeRole without the External ID before and allows it after', async () => {
    expect(await expectSimulatorAgrees(comparison)).toBe(1);
  });
});

describe("the results bucket's listing condition removed (the customer template of an earlier commit)", () => {
  // Before 946996d the template listed the results bucket only under StringLike s3:prefix <ResultsPrefix>/*.
  const file = (rev: string) => {
    const text = rev === 'HEAD' ? undefined : execFileSync('git', ['show', `${rev}:templates/athena-target-role.json`], { encoding: 'utf8' });
    return text === undefined ? 'templates/athena-target-role.json' : writeTemp(text);
  };
  const parameters = { BaseRoleArn: BASE_PROPS.trustedRoleArn, ExternalId: BASE_PROPS.externalId, ResultsBucket: 'acme-athena-results' };
  const read = (path: string): PrincipalPermissions => templateFilePrincipals(path, { parameters, accountId: CUSTOMER_ACCOUNT, region: REGION })[0];
  const comparison = comparePrincipals(read(file('946996d~1')), read(file('HEAD')));

  test('is a broadening: s3:ListBucket on the bucket with its condition loosened', () => {
    expect(comparison.broadens).toBe(true);
    const listing = comparison.permissions.allows.filter((c) => c.action === 's3:ListBucket');
    expect(listing.map((c) => [c.kind, c.grant.target, c.grant.condition])).toEqual([['condition-loosened', 'arn:aws:s3:::acme-athena-results', undefined]]);
    expect(renderComparisonMarkdown(comparison)).toContain('condition loosened');
  });

  test('the simulator lists another prefix after and not before', async () => {
    await expectSimulatorAgrees(comparison);
  });
});

describe('the access engine', () => {
  test('a narrower pattern is covered by a wider one, not the other way round (segments matched apart)', () => {
    expect(targetCovers('arn:aws:glue:*:*:table/*', 'arn:aws:glue:eu-west-1:1:table/db/t')).toBe(true);
    expect(targetCovers('arn:aws:glue:eu-west-1:1:table/db/*', 'arn:aws:glue:eu-west-1:1:table/*')).toBe(false);
    expect(targetCovers('arn:aws:s3:::b/?x', 'arn:aws:s3:::b/ax')).toBe(true);
    expect(targetCovers('arn:aws:s3:::b/a*', 'arn:aws:s3:::b/*')).toBe(false);
    expect(targetCovers('arn:aws:iam::*', 'arn:aws:iam::1:role/x')).toBe(false); // a wildcard does not span a colon
  });

  test('conditions: more values of an alternative widen, of a negated operator narrow; another operator cannot be ordered', () => {
    const c = (operator: string, ...values: string[]) => [{ operator, key: 'aws:principalorgid', values }];
    expect(compareConditions(c('StringEquals', 'a', 'b'), c('StringEquals', 'a'))).toBe('wider');
    expect(compareConditions(c('StringNotEquals', 'a', 'b'), c('StringNotEquals', 'a'))).toBe('narrower');
    expect(compareConditions(undefined, c('StringEquals', 'a'))).toBe('wider');
    expect(compareConditions(c('StringLike', 'a*'), c('StringEquals', 'a'))).toBe('incomparable');
  });

  test('an incomparable condition is reported as changed and counted as broadening', () => {
    const doc = (condition: object) => ({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: condition }] });
    const result = compareDocuments([doc({ StringEquals: { 'aws:PrincipalOrgID': 'o-1' } })], [doc({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })]);
    expect(result.allows.map((c) => [c.kind, c.broadens])).toEqual([['condition-changed', true]]);
  });

  test('wildcard actions expand against IAM\'s action list; NotAction and NotResource Denies apply', () => {
    const allow = { Effect: 'Allow', Action: 'glue:GetTable*', Resource: '*' };
    const space = compareDocuments([], [{ Statement: [allow, { Effect: 'Deny', NotAction: 'glue:GetTables', Resource: '*' }] }]);
    expect(space.allows.map((c) => c.action)).toEqual(['glue:GetTables']);
    const notResource = compareDocuments([{ Statement: [allow] }], [{ Statement: [allow, { Effect: 'Deny', Action: 'glue:*', NotResource: 'arn:aws:glue:*:*:catalog' }] }]);
    expect(notResource.denies.every((c) => c.kind === 'added' && !c.broadens && c.grant.except?.[0] === 'arn:aws:glue:*:*:catalog')).toBe(true);
  });
});

describe('Lake Formation grants', () => {
  test('a database added to the grants is an added DESCRIBE (and SELECT on its tables)', () => {
    const props = { ...BASE_PROPS, accessMode: AccessMode.LAKE_FORMATION };
    const comparison = comparePrincipals(
      roleOf(targetRoleTemplate({ ...props, glueDatabaseNames: ['sales'] })),
      roleOf(targetRoleTemplate({ ...props, glueDatabaseNames: ['sales', 'finance'] })));
    expect(comparison.broadens).toBe(true);
    expect(comparison.lakeFormation.removed).toEqual([]);
    expect(comparison.lakeFormation.added.map((g) => `${g.description} ${g.permission}`)).toEqual(expect.arrayContaining([
      'database finance DESCRIBE',
      'table finance.* SELECT',
    ]));
  });
});

function writeTemp(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'diff-test-')), 'athena-target-role.json');
  writeFileSync(file, text);
  return file;
}
