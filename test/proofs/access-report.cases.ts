/**
 * The access report says, in words and tables, what the roles allow: tests read its content.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessMode, AccessReport, AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { AthenaTargetRoleTemplate } from '../../lib/cloudformation/athena-target-role-template';
import { FULL_TARGET_ROLE_PROPS } from '../support/full-options';
import { exampleApp, newStack } from '../support/stacks';

const reportOf = (name: 'selfHosted' | 'managedCustomer' | 'managedVendor') => AccessReport.forStack(exampleApp().stacks[name]);

/** The lines of a Markdown table row whose first cell contains `text`. */
const rowsWith = (report: string, text: string) => report.split('\n').filter((line) => line.startsWith('|') && line.includes(text));

describe('self-hosted example', () => {
  const report = reportOf('selfHosted');

  test('draws the trust chain identity -> base role -> target role with its conditions', () => {
    expect(report).toContain([
      '```mermaid',
      'flowchart LR',
      '  identity["Dataplane identity: EKS Pod Identity"] -->|"credentials"| base["Base role ${BaseRoleCA235124.Arn}"]',
      '  base -->|"sts:AssumeRole<br/>sts:RoleSessionName matches qualytics-athena-*<br/>sts:TagSession"| target["Target role QualyticsAthenaSelfHosted/TargetRole"]',
    ].join('\n'));
    expect(report).toContain('base -->|"sts:AssumeRole<br/>sts:TagSession"| target0["Target role ${TargetRole759A579C.Arn}"]');
    expect(report).toContain('identity["Dataplane identity: EKS Pod Identity"] -->|"sts:AssumeRole<br/>sts:TagSession<br/>'
      + 'aws:RequestTag/kubernetes-service-account equals qualytics-spark<br/>aws:RequestTag/kubernetes-namespace equals qualytics<br/>'
      + 'aws:RequestTag/eks-cluster-name equals qualytics-dataplane"| base["Base role QualyticsAthenaSelfHosted/BaseRole"]');
  });

  test('explains the target role\'s TagSession statement: which tags, and that it opens nothing by itself', () => {
    expect(report).toContain('AWS: `${BaseRoleCA235124.Arn}` may also `sts:TagSession`, only when:\n\n'
      + '- `aws:TagKeys` are each one of `eks-cluster-arn` or `eks-cluster-name` or `kubernetes-namespace` or '
      + '`kubernetes-service-account` or `kubernetes-pod-name` or `kubernetes-pod-uid`\n\n'
      + 'EKS Pod Identity puts six transitive session tags on the base role\'s session');
    expect(report).toContain('This opens nothing by itself: without the `sts:AssumeRole` conditions above, STS hands out no credentials.');
    expect(report).toContain('None needed: the role\'s only permissions are `sts:AssumeRole` and `sts:TagSession` on the target roles.');
  });

  test('lists every allowed statement of the target role with its actions, resources and reason', () => {
    const statements = exampleApp().stacks.selfHosted.targetRole.queryPolicy.describeStatements().filter((s) => s.effect === 'Allow');
    expect(statements.length).toBeGreaterThan(8);
    for (const statement of statements) {
      const rows = rowsWith(report, statement.actions.map((a) => `\`${a}\``).join('<br>'));
      expect(rows.some((row) => row.includes(statement.purpose))).toBe(true);
    }
    expect(rowsWith(report, '`s3:GetObject`')).toContainEqual(expect.stringContaining('`arn:${AWS::Partition}:s3:::acme-data-lake/warehouse/*`'));
    expect(rowsWith(report, '`kms:Decrypt`')[0]).toContain('`kms:ViaService` equals `athena.${AWS::Region}.${AWS::URLSuffix}` or');
    // Reasons for wildcards are given where there is a wildcard, and only there.
    expect(rowsWith(report, '`athena:ListDataCatalogs`')[0]).toContain('Wildcard: athena:ListDataCatalogs has no resource type');
    const dataListing = rowsWith(report, '| `s3:ListBucket` | `arn:${AWS::Partition}:s3:::acme-data-lake` |')[0];
    expect(dataListing).not.toContain('Wildcard:');
    // Listing is limited to the folders, and the report says so.
    expect(dataListing).toContain('`s3:prefix` matches `warehouse/*`');
    // The results bucket is listed with no s3:prefix, as Athena's output location check needs
    // (https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html).
    const resultsListing = rowsWith(report, '`s3:ListBucket`').filter((row) => row.includes('`arn:${AWS::Partition}:s3:::${Results25575328}`'));
    expect(resultsListing).toHaveLength(1);
    expect(resultsListing[0]).not.toContain('`s3:prefix`');
    expect(rowsWith(report, '| `glue:GetDatabase` | `arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/default` |')).toHaveLength(1);
  });

  test('lists the guardrail denies, with the results prefix as the only place S3 uploads are not denied', () => {
    expect(report).toContain('### Guardrail denies\n\nExplicit denies win over any allow');
    expect(rowsWith(report, '| `s3:PutObject`, `s3:AbortMultipartUpload` |')[0])
      .toContain('everything except `arn:${AWS::Partition}:s3:::${Results25575328}/athena-results/*`');
    expect(rowsWith(report, '`s3:Delete*`')[0]).toContain('`s3tables:Create*`');
    expect(rowsWith(report, '`s3:Delete*`')[0]).toContain('| `*` |');
    expect(rowsWith(report, '`glue:Create*`')[0]).toContain('`glue:Start*`');
    expect(rowsWith(report, '`athena:Create*`')[0]).toContain('Spark sessions');
    expect(rowsWith(report, '`lakeformation:Grant*`')[0]).toContain('| `*` |');
  });

  test('shows the size budget used', () => {
    const [first, second] = exampleApp().stacks.selfHosted.targetRole.queryPolicy.policySizes;
    expect(report).toContain(`- Managed policies: 2 (IAM allows 10 per role by default, 20 with a raised quota).\n- Part 1: ${first} of 6144 characters`);
    expect(report).toContain(`- Part 2: ${second} of 6144 characters`);
    expect(report).toMatch(/- Trust policy: at most \d+ of 2048 characters, counting values known only at deploy time at their longest\./);
  });
});

describe('managed examples', () => {
  test('the customer\'s report names the External ID, the base role parameter and the trust budget at the parameters\' longest', () => {
    const report = reportOf('managedCustomer');
    expect(report).toContain('Only these principals can assume it: AWS: `${BaseRoleArn}`; and only when:\n\n'
      + '- `sts:ExternalId` equals `${ExternalId}`\n- `sts:RoleSessionName` matches `qualytics-athena-*`');
    expect(report).toContain('identity["Dataplane identity (run by Qualytics)"]');
    const trust = Number(/- Trust policy: at most (\d+) of 2048 characters/.exec(report)?.[1]);
    // The trust names the base role twice (AssumeRole and TagSession), each at the parameter's longest.
    expect(trust).toBeGreaterThan(2 * 166 + 1224);
    expect(trust).toBeLessThanOrEqual(2048);
    // The customer example is the customer template: the tables are those of the GlueDatabases parameter's items.
    expect(rowsWith(report, '| `glue:GetTable`<br>')[0]).toContain('`arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/{"Fn::Select":[0,');
    expect(rowsWith(report, '| `glue:GetTable`<br>')[0]).toContain('{"Ref":"GlueDatabases"}');
  });

  test('the vendor\'s report shows the IRSA trust and the target roles the base role may assume', () => {
    const report = reportOf('managedVendor');
    expect(report).toContain('## Base role `QualyticsAthenaVendorTenant/BaseRole`');
    expect(report).toContain('identity["Dataplane identity: IRSA (EKS OIDC)"] -->|"sts:AssumeRoleWithWebIdentity<br/>');
    expect(report).toContain('base -->|"sts:AssumeRole"| target0["Target role arn:${AWS::Partition}:iam::111122223333:role/qualytics-athena-*"]');
    expect(rowsWith(report, '`sts:AssumeRole`')[0]).toContain('Obtain temporary credentials of the customers\' Athena target roles.');
    expect(report).toContain('None needed: the role\'s only permissions are `sts:AssumeRole` on the target roles.');
    expect(report).not.toContain('## Target role');
  });
});

test('says when guardrails are off, and names the organization condition', () => {
  const stack = newStack({ env: { account: '111122223333', region: 'eu-west-1' } });
  new AthenaTargetRole(stack, 'Target', { ...FULL_TARGET_ROLE_PROPS, guardrails: false });
  const report = AccessReport.forStack(stack);
  expect(report).toContain('None: guardrails are off (`guardrails: false`).');
  expect(report).toContain('- `aws:PrincipalOrgID` equals `o-abcdef1234`');
  expect(rowsWith(report, '`lakeformation:GetDataAccess`')).toHaveLength(1);
});

test('writeForApp writes <stack>.access-report.md next to each template, only for stacks with roles', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-')) });
  new AthenaTargetRole(new Stack(app, 'WithRole'), 'Target', { trustedRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn, resultsBucketName: 'results' });
  new CfnWaitConditionHandle(new Stack(app, 'NoRoles'), 'NotARole');
  const assembly = app.synth();
  const written = AccessReport.writeForApp(app, assembly.directory);
  expect(written).toEqual([path.join(assembly.directory, 'WithRole.access-report.md')]);
  expect(fs.existsSync(path.join(assembly.directory, 'WithRole.template.json'))).toBe(true);
  expect(fs.readFileSync(written[0], 'utf8')).toMatch(/^# Access report: WithRole\n/);
});

test('says how it was generated: AccessReport.forStack by default, or what the caller names', () => {
  const stack = newStack();
  new AthenaTargetRole(stack, 'Target', { trustedRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn, resultsBucketName: 'results' });
  expect(AccessReport.forStack(stack)).toContain('Generated from the CDK constructs by `AccessReport.forStack` (qualytics-athena-iam);');
  expect(AccessReport.forStack(stack)).not.toContain('npm run report');
  expect(AccessReport.forStack(stack, { generatedBy: '`npm run report`' })).toContain('Generated from the CDK constructs by `npm run report` (qualytics-athena-iam);');
});

describe('query results in the report', () => {
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const reportFor = (props: Partial<AthenaTargetRoleProps>) => {
    const stack = newStack();
    new AthenaTargetRole(stack, 'Target', { trustedRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn, ...props });
    return AccessReport.forStack(stack);
  };

  test('managed query results: says Athena keeps them, reads go through Athena, and which key encrypts them', () => {
    const report = reportFor({ managedQueryResults: true, managedQueryResultsKmsKeyArn: KEY });
    expect(report).toContain('### Query results\n\nManaged by Athena (managed query results): Athena keeps each query\'s results for 24 hours, with no S3 bucket;');
    expect(report).toContain(`They are encrypted with the customer managed key \`${KEY}\`, which the role may use only through Athena;`);
    expect(rowsWith(report, '`kms:DescribeKey`')[0]).toContain('`kms:ViaService` equals `athena.${AWS::Region}.${AWS::URLSuffix}`');
    expect(report).not.toContain('s3://');
  });

  test('managed query results with an AWS owned key: no KMS permission needed', () => {
    expect(reportFor({ managedQueryResults: true })).toContain('They are encrypted with an AWS owned key; the role needs no KMS permission.');
  });

  test('an S3 results bucket: names the output location', () => {
    expect(reportFor({ resultsBucketName: 'results' })).toContain('### Query results\n\nIn S3: Athena writes them to `s3://results/qualytics-athena-results/`');
  });

  test('the customer template: chosen at deployment', () => {
    const report = AccessReport.forStack(new AthenaTargetRoleTemplate(new App(), 'Template'));
    expect(report).toMatch(/Chosen at deployment \(condition `UseManagedQueryResults`\): where it holds, managed by Athena .* Otherwise: In S3: Athena writes them to `s3:\/\/\$\{ResultsBucket\}\/\$\{ResultsPrefix\}\/`/);
  });
});

describe('changes since a previous version', () => {
  // The comparison is the diff's (test/audit/diff.test.ts checks it against the IAM policy evaluator); these
  // tests check that the report runs it on the right two principals and says what it found.
  const ENV = { account: '111122223333', region: 'eu-west-1' };
  const PROPS = { trustedRoleArn: FULL_TARGET_ROLE_PROPS.trustedRoleArn, externalId: 'qualytics-acme-7f3c9e', resultsBucketName: 'results' };
  const stackWith = (glueDatabaseNames: string[]) => {
    const stack = new Stack(new App(), 'Access', { env: ENV });
    new AthenaTargetRole(stack, 'Target', { ...PROPS, glueDatabaseNames });
    return stack;
  };
  /** The previous version's template, synthesized from the constructs into a file of its own. */
  const templateFileOf = (stack: Stack) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'previous-')), 'Access.template.json');
    fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
    return file;
  };
  const section = (report: string) => report.slice(report.indexOf('## Changes since'), report.indexOf('## Target role'));

  test('a previous version without one database: the section lists the database\'s ARNs as added, and says access broadens', () => {
    const previous = { version: '1.4.0', template: templateFileOf(stackWith(['sales'])) };
    const report = AccessReport.forStack(stackWith(['sales', 'finance']), { previous });
    const changes = section(report);
    expect(report.indexOf('## Changes since 1.4.0\n\nWhat the roles below may do now, compared by access with 1.4.0')).toBeLessThan(report.indexOf('## Target role'));
    expect(changes).toContain('### role ');
    expect(changes).toContain('**This change broadens access**');
    const added = rowsWith(changes, '| added |');
    expect(added.length).toBeGreaterThan(2);
    expect(new Set(added.map((row) => /`(arn:[^`]+)`/.exec(row)?.[1]))).toEqual(new Set([
      'arn:aws:glue:eu-west-1:111122223333:database/finance',
      'arn:aws:glue:eu-west-1:111122223333:table/finance/*',
    ]));
    expect(rowsWith(changes, '| added | glue:GetTable | Read | `arn:aws:glue:eu-west-1:111122223333:table/finance/*` |')).toHaveLength(1);
    expect(rowsWith(changes, '| removed |')).toEqual([]);
  });

  test('an identical previous version: the section says there is no change', () => {
    const previous = { version: '1.4.0', template: templateFileOf(stackWith(['sales'])) };
    const changes = section(AccessReport.forStack(stackWith(['sales']), { previous }));
    expect(changes).toContain('**No change in access.**');
    expect(changes).not.toContain('| Change |');
  });

  test('without a previous version there is no such section', () => {
    expect(AccessReport.forStack(stackWith(['sales']))).not.toContain('Changes since');
  });

  test('the customer template against itself as released: parameters without a Default read alike on both sides', () => {
    const report = AccessReport.forStack(new AthenaTargetRoleTemplate(new App(), 'Template'), {
      previous: { version: 'the checked-in template', template: path.join(__dirname, '..', '..', 'templates', 'athena-target-role.json') },
    });
    expect(section(report)).toContain('## Changes since the checked-in template');
    expect(section(report)).toContain('**No change in access.**');
  });

  test('a cloud assembly: the stack of the same construct path is compared; a stack it lacks is new', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'previous-')) });
    new AthenaTargetRole(new Stack(app, 'Access', { env: ENV }), 'Target', { ...PROPS, glueDatabaseNames: ['sales'] });
    new AthenaTargetRole(new Stack(app, 'Other', { env: ENV }), 'Target', { ...PROPS, glueDatabaseNames: ['other'] });
    const previous = { version: '1.4.0', template: app.synth().directory };
    expect(section(AccessReport.forStack(stackWith(['sales']), { previous }))).toContain('**No change in access.**');
    const unknown = new Stack(new App(), 'Unknown', { env: ENV });
    new AthenaTargetRole(unknown, 'Target', { ...PROPS, glueDatabaseNames: ['sales'] });
    const changes = section(AccessReport.forStack(unknown, { previous }));
    expect(changes).toContain(`\`${previous.template}\` holds no stack \`Unknown\`: everything the roles allow is new since 1.4.0.`);
    expect(changes).toContain('**This change broadens access**');
  });

  test('Lake Formation grants in nested stacks: a database added is its grants added, read from each version\'s nested templates', () => {
    const lakeFormation = (app: App, glueDatabaseNames: string[]) => {
      const stack = new Stack(app, 'Access', { env: ENV });
      new AthenaTargetRole(stack, 'Target', { ...PROPS, accessMode: AccessMode.LAKE_FORMATION, glueDatabaseNames, lakeFormationNestedStacks: 2 });
      return stack;
    };
    // A cloud assembly as the CDK CLI writes it: nested stacks' templates named by their aws:asset:path metadata.
    const previousApp = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'previous-')), context: { 'aws:cdk:enable-asset-metadata': true } });
    lakeFormation(previousApp, ['sales']);
    const previous = { version: '1.4.0', template: previousApp.synth().directory };
    const changes = section(AccessReport.forStack(lakeFormation(new App(), ['sales', 'finance']), { previous }));
    expect(changes).toContain('**This change broadens access**');
    expect(changes).toContain('#### Lake Formation grants');
    expect(rowsWith(changes, '| added |')).toEqual([
      '| added | database finance | DESCRIBE |',
      '| added | table finance.* | DESCRIBE |',
      '| added | table finance.* | SELECT |',
    ]);
  });

  test('a previous version that is not there: an error naming the path', () => {
    expect(() => AccessReport.forStack(stackWith(['sales']), { previous: { version: '1.4.0', template: '/nowhere/Access.template.json' } }))
      .toThrow('/nowhere/Access.template.json: no such file or directory (give a template file, a cloud assembly directory or a terraform show -json file)');
  });
});
