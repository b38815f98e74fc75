import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { changesSinceSection } from './changes-since';
import { AthenaTargetRole } from '../constructs/athena-target-role';
import { deployTimeFolderSource } from '../constructs/cdk/deploy-time-folder';
import { PolicySizer } from '../constructs/cdk/policy-sizer';
import { DataplaneBaseRole } from '../constructs/dataplane-base-role';
import { DataplaneIdentityKind } from '../constructs/dataplane-identity';
import { AccessMode } from '../model/access-mode';
import { readsTableBucketDirectly, tableBucketOf } from '../model/catalog-statements';
import { IAM_LIMITS } from '../model/size';
import { StatementDescription } from '../model/statement-description';

/** How an access report came about. */
export interface AccessReportOptions {
  /**
   * What generated the report, as Markdown, e.g. "`npm run report`"; the report names it in its first paragraph.
   * @default - the report says it was generated from the CDK constructs by `AccessReport.forStack`
   */
  readonly generatedBy?: string;

  /**
   * An earlier version of the stack: the report then begins with a "Changes since <version>" section, what each
   * of its roles may do now compared by access with the same role in that version (as `qualytics-athena-iam diff`
   * compares them).
   * @default - no such section
   */
  readonly previous?: AccessReportPreviousVersion;
}

/** An earlier version of a stack, whose roles an access report compares with the stack's. */
export interface AccessReportPreviousVersion {
  /** How the report names the earlier version, e.g. "1.4.0" (its heading reads "Changes since 1.4.0"). */
  readonly version: string;

  /**
   * The earlier version as synthesized: a CloudFormation template file (JSON; its nested stacks' templates beside
   * it), or a cloud assembly directory (`cdk.out`), in which the stack with the same construct path is compared.
   */
  readonly template: string;

  /**
   * Parameter values both versions are read with, lists comma-separated, as `aws cloudformation deploy
   * --parameter-overrides` takes them.
   * @default - each template's Defaults; a parameter of the stack without a Default reads as `<Name>` on both sides
   */
  readonly parameters?: { [name: string]: string };
}

/**
 * Access reports a customer's security team can approve a role from without reading JSON: for every target
 * role and base role of a stack, the trust chain as a Mermaid diagram, every allowed action with its
 * resources and the reason the Athena JDBC driver needs it, the guardrail denies, and the size budget used.
 * Values known only at deploy time appear as `${Parameter}`, `${AWS::Region}` or `${Resource.Arn}`.
 */
export class AccessReport {
  /** The Markdown report of one stack; empty when the stack has no target role or base role. */
  public static forStack(stack: Stack, options: AccessReportOptions = {}): string {
    const targets = stack.node.findAll().filter((c): c is AthenaTargetRole => c instanceof AthenaTargetRole);
    const bases = stack.node.findAll().filter((c): c is DataplaneBaseRole => c instanceof DataplaneBaseRole);
    if (targets.length === 0 && bases.length === 0) return '';
    const sections = [
      `# Access report: ${stack.stackName}`,
      `What the IAM roles of this stack allow, and why. Generated from the CDK constructs by ${options.generatedBy ?? '`AccessReport.forStack`'} `
      + '(qualytics-athena-iam); values in `${...}` are filled in at deployment (parameters, the account, the Region, '
      + 'resources of the stack).',
      ...(options.previous ? [changesSinceSection(stack, options.previous, [...targets, ...bases].map((r) => logicalIdOf(r.role)))] : []),
      ...targets.map((target) => targetSection(target, bases)),
      ...bases.map(baseSection),
    ];
    return `${sections.join('\n\n')}\n`;
  }

  /**
   * Writes `<stack>.access-report.md` next to each stack's template in `outdir` (the cloud assembly
   * directory of `app.synth()`), for every stack of `app` that has a target role or base role.
   *
   * @param options how the reports came about
   * @returns the paths of the files written
   */
  public static writeForApp(app: Stage, outdir: string, options: AccessReportOptions = {}): string[] {
    const written: string[] = [];
    for (const stack of app.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
      const report = AccessReport.forStack(stack, options);
      if (report === '') continue;
      const file = path.join(outdir, `${stack.artifactId}.access-report.md`);
      fs.writeFileSync(file, report);
      written.push(file);
    }
    return written;
  }
}

/** The logical id of `role` in its stack's template. */
function logicalIdOf(role: iam.Role): string {
  return Stack.of(role).resolve((role.node.defaultChild as iam.CfnRole).logicalId);
}

/** A CloudFormation value rendered for people: `Ref`s and `Fn::GetAtt`s become `${...}`. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(', ');
  const node = value as Record<string, any>;
  if (node?.Ref !== undefined) return `\${${node.Ref}}`;
  // A deploy-time folder path whose trailing slash CloudFormation drops: the value given.
  const folder = deployTimeFolderSource(node);
  if (folder !== undefined) return render(folder);
  if (node?.['Fn::GetAtt']) return `\${${node['Fn::GetAtt'].join('.')}}`;
  if (node?.['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(render).join(node['Fn::Join'][0]);
  return JSON.stringify(node);
}

function resolved(scope: IConstruct, value: unknown): string {
  return render(Stack.of(scope).resolve(value));
}

const code = (value: string) => `\`${value.replace(/`/g, "'")}\``;
const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** Mermaid node text: quotes and angle brackets would end the label. */
const label = (value: string) => value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/** Each condition of a statement as a sentence, such as "`sts:ExternalId` equals `abc`". */
function conditionLines(scope: IConstruct, conditions: any): string[] {
  const verbs: Record<string, string> = {
    'StringEquals': 'equals',
    'StringLike': 'matches',
    'ArnLike': 'matches',
    'ArnEquals': 'equals',
    'ForAllValues:StringEquals': 'are each one of',
  };
  const lines: string[] = [];
  for (const [operator, keys] of Object.entries<Record<string, unknown>>(Stack.of(scope).resolve(conditions ?? {}))) {
    for (const [key, value] of Object.entries(keys)) {
      const values = (Array.isArray(value) ? value : [value]).map((v) => code(render(v))).join(' or ');
      lines.push(`${code(key)} ${verbs[operator] ?? operator} ${values}`);
    }
  }
  return lines;
}

/** One statement of a trust policy: who, which actions, under which conditions (as sentences). */
interface TrustStatement {
  readonly principals: string[];
  readonly actions: string[];
  readonly conditions: string[];
}

/** The statements of `role`'s trust policy: the first lets the principal assume it, later ones add to that. */
function trust(role: iam.Role): TrustStatement[] {
  const document = Stack.of(role).resolve(role.assumeRolePolicy?.toJSON()) ?? { Statement: [] };
  return document.Statement.map((statement: any) => ({
    principals: Object.entries<unknown>(statement.Principal ?? {}).map(([kind, value]) => `${kind}: ${code(render(value))}`),
    actions: [statement.Action].flat(),
    conditions: conditionLines(role, statement.Condition),
  }));
}

function allowTable(scope: IConstruct, statements: StatementDescription[]): string {
  const rows = statements.filter((s) => s.effect === iam.Effect.ALLOW).map((s) => {
    const resources = (s.resources ?? []).map((r) => resolved(scope, r));
    const conditions = conditionLines(scope, s.conditions).join('<br>') || '-';
    const wildcard = s.wildcardReason && resources.some((r) => r.includes('*')) ? ` Wildcard: ${s.wildcardReason}` : '';
    const cells = [s.actions.map(code).join('<br>'), resources.map(code).join('<br>'), conditions, `${s.purpose}${wildcard}`];
    return `| ${cells.map(cell).join(' | ')} |`;
  });
  return ['| Actions | Resources | Conditions | Why the Athena JDBC driver needs it |', '|---|---|---|---|', ...rows].join('\n');
}

function denyTable(scope: IConstruct, statements: StatementDescription[]): string {
  const denies = statements.filter((s) => s.effect === iam.Effect.DENY);
  if (denies.length === 0) return 'None: guardrails are off (`guardrails: false`). Nothing stops a broader policy attached later.';
  const rows = denies.map((s) => {
    const where = s.notResources
      ? `everything except ${s.notResources.map((r) => code(resolved(scope, r))).join(', ')}`
      : (s.resources ?? []).map((r) => code(resolved(scope, r))).join(', ');
    return `| ${cell(s.actions.map(code).join(', '))} | ${cell(where)} | ${cell(s.purpose)} |`;
  });
  return [
    'Explicit denies win over any allow, so these hold even if someone attaches a broader policy to the role later.',
    '',
    '| Denied actions | On | Why |',
    '|---|---|---|',
    ...rows,
  ].join('\n');
}

function identityText(base: DataplaneBaseRole): string {
  const names: Record<DataplaneIdentityKind, string> = {
    [DataplaneIdentityKind.EKS_POD_IDENTITY]: 'EKS Pod Identity',
    [DataplaneIdentityKind.IRSA]: 'IRSA (EKS OIDC)',
    [DataplaneIdentityKind.EC2_INSTANCE]: 'EC2 instance role',
    [DataplaneIdentityKind.CUSTOM]: 'custom principal',
  };
  return `Dataplane identity: ${names[base.identity.kind]}`;
}

/** The text of a trust arrow: the actions and each condition of the first statement, then the others' actions. */
function arrowText(statements: TrustStatement[]): string {
  const [first, ...others] = statements;
  const lines = [...first.actions, ...first.conditions.map((c) => c.replace(/`/g, '')), ...others.flatMap((s) => s.actions)];
  return lines.map(label).join('<br/>');
}

function mermaid(lines: string[]): string {
  return ['```mermaid', 'flowchart LR', ...lines.map((l) => `  ${l}`), '```'].join('\n');
}

function targetSection(target: AthenaTargetRole, bases: DataplaneBaseRole[]): string {
  const role = target.role;
  const statements = target.queryPolicy.describeStatements();
  const trustedArn = resolved(role, (role.assumeRolePolicy?.toJSON().Statement[0]?.Principal?.AWS));
  const base = bases.find((b) => resolved(b, b.roleArn) === trustedArn);
  const arrow = arrowText(trust(role));
  const chain = mermaid([
    `identity["${label(base ? identityText(base) : 'Dataplane identity (run by Qualytics)')}"] -->|"credentials"| base["${label(`Base role ${trustedArn}`)}"]`,
    `base -->|"${arrow}"| target["${label(`Target role ${target.node.path}`)}"]`,
    'target -->|"Athena, Glue, S3 (below)"| data[("Athena workgroup, Glue Data Catalog, S3")]',
  ]);
  const policy = target.queryPolicy;
  const sizes = policy.policySizes.slice(0, policy.managedPolicies.length);
  const sizer = new PolicySizer(Stack.of(role));
  const trustSize = role.assumeRolePolicy ? sizer.documentLength(role.assumeRolePolicy) : 0;
  const inlineSize = policy.inlinePolicy ? policy.policySizes[policy.managedPolicies.length] : undefined;
  const budget = [
    `- Managed policies: ${sizes.length} (IAM allows 10 per role by default, 20 with a raised quota).`,
    ...sizes.map((size, i) => `- Part ${i + 1}: ${size} of ${IAM_LIMITS.managedPolicy} characters (${Math.round((100 * size) / IAM_LIMITS.managedPolicy)}%).`),
    ...(inlineSize === undefined ? [] : [`- Inline policy (what the managed policies had no room for): ${inlineSize} of the role's ${IAM_LIMITS.roleInlinePolicies} characters.`]),
    `- Trust policy: at most ${trustSize} of ${IAM_LIMITS.trustPolicy} characters, counting values known only at deploy time ` +
    'at their longest.',
  ].join('\n');
  return [
    `## Target role ${code(target.node.path)}`,
    'The role the Athena connection uses (its ARN goes in the Role ARN field).',
    ...catalogsText(target),
    ...lakeFormationText(target),
    ...trustAndPermissions(role, chain, statements),
    denyTable(role, statements),
    '### Query results',
    queryResultsText(target),
    '### Size budget',
    budget,
  ].join('\n\n');
}

/** In Lake Formation mode: what the grants let the role read; nothing in IAM mode. */
function lakeFormationText(target: AthenaTargetRole): string[] {
  if (target.queryPolicy.accessMode !== AccessMode.LAKE_FORMATION) return [];
  const grants = target.lakeFormationGrants;
  if (!grants) {
    return ['Lake Formation decides what the role reads (access mode LAKE_FORMATION); its grants are made outside this stack. ' +
      'IAM allows read-only Glue calls on every database and table, `lakeformation:GetDataAccess` and Athena, and no S3 data access.'];
  }
  const described = grants.grants.map((g) => Stack.of(g).resolve(g.resource) as Record<string, any>);
  const databases = described.filter((r) => r.table).map((r) => code(r.table.databaseName));
  const describeOnly = described.filter((r) => r.database && !described.some((t) => t.table?.databaseName === r.database.name))
    .map((r) => code(r.database.name));
  const expressions = described.filter((r) => r.lfTagPolicy?.resourceType === 'TABLE')
    .map((r) => (r.lfTagPolicy.expression as Array<{ tagKey: string; tagValues: string[] }>).map((c) => `${code(c.tagKey)} in ${c.tagValues.map(code).join(', ')}`).join(' and '));
  const where = grants.nestedStacks.length > 0 ? `, spread over ${grants.nestedStacks.length} nested stacks` : '';
  return [
    `Lake Formation decides what the role reads (access mode LAKE_FORMATION): ${grants.grants.length} grants${where}, without grant option. ` +
    'IAM allows read-only Glue calls on every database and table, `lakeformation:GetDataAccess` and Athena, and no S3 data access.',
    [
      ...(databases.length > 0 ? [`- DESCRIBE on ${databases.length} databases, SELECT and DESCRIBE on all their tables: ${databases.slice(0, 20).join(', ')}${databases.length > 20 ? `, and ${databases.length - 20} more` : ''}.`] : []),
      ...expressions.map((e) => `- DESCRIBE on the databases and SELECT and DESCRIBE on the tables whose LF-Tags match: ${e}.`),
      ...(describeOnly.length > 0 ? [`- DESCRIBE only (no table) on ${describeOnly.join(', ')}: Athena needs it on \`default\` under Lake Formation.`] : []),
    ].join('\n'),
  ];
}

/** The Glue catalogs beyond the default one the role reads, with their databases; nothing when there are none. */
function catalogsText(target: AthenaTargetRole): string[] {
  const catalogs = target.queryPolicy._catalogs;
  if (catalogs.length === 0) return [];
  const lines = catalogs.map((c) => {
    const kind = tableBucketOf(c.catalogName) === undefined ? 'Glue catalog'
      : readsTableBucketDirectly(c, target.queryPolicy.accessMode) ? 'S3 Tables catalog, read with read-only `s3tables:` actions'
        : 'S3 Tables catalog, read with the credentials Lake Formation vends (no `s3tables:` permission)';
    const source = c.dataSourceName ? `, Athena data source ${code(c.dataSourceName)}` : '';
    const databases = c.databaseNames ? c.databaseNames.map((db) => code(resolved(target, db))).join(', ') : 'every database';
    return `- ${code(resolved(target, c.catalogName))} (${kind}${source}): ${databases}`;
  });
  return ['Besides the default data catalog, it reads these catalogs (databases, or S3 Tables namespaces, after the colon):', lines.join('\n')];
}

/**
 * Where the target role's query results go: its S3 results location, or Athena's managed query results
 * (https://docs.aws.amazon.com/athena/latest/ug/managed-results.html) and the key that encrypts them.
 */
function queryResultsText(target: AthenaTargetRole): string {
  const results = target.queryPolicy._queryResults;
  const s3 = target.queryPolicy.outputLocation === undefined ? undefined
    : `In S3: Athena writes them to ${code(resolved(target, target.queryPolicy.outputLocation))} (the connection's output location); `
      + 'the role reads and writes only there, and lists the object names of the results bucket (Athena checks the output location before each query).';
  const key = results.managedQueryResultsKmsKeyArn;
  const managed = 'Managed by Athena (managed query results): Athena keeps each query\'s results for 24 hours, with no S3 bucket; '
    + 'the role reads them only through `athena:GetQueryResults` and `athena:GetQueryResultsStream` on its workgroups, uploads nothing to S3, '
    + 'and the connection sends no output location. '
    + (key === undefined ? 'They are encrypted with an AWS owned key; the role needs no KMS permission.'
      : `They are encrypted with the customer managed key ${code(resolved(target, key))}, which the role may use only through Athena; `
        + 'its key policy must allow the role and `encryption.athena.amazonaws.com`.');
  if (results.managedQueryResultsCondition === undefined) return s3 ?? managed;
  return `Chosen at deployment (condition ${code(resolved(target, results.managedQueryResultsCondition))}): where it holds, ${managed.charAt(0).toLowerCase()}`
    + `${managed.slice(1)} Otherwise: ${s3}`;
}

function baseSection(base: DataplaneBaseRole): string {
  const statements = base.describeStatements();
  const targets = statements.flatMap((s) => s.resources ?? []).map((r) => resolved(base, r));
  const actions = statements.flatMap((s) => s.actions);
  const arrow = arrowText(trust(base.role));
  const chain = mermaid([
    `identity["${label(identityText(base))}"] -->|"${arrow}"| base["${label(`Base role ${base.node.path}`)}"]`,
    ...targets.map((t, i) => `base -->|"${actions.map(label).join('<br/>')}"| target${i}["${label(`Target role ${t}`)}"]`),
  ]);
  return [
    `## Base role ${code(base.node.path)}`,
    'The dataplane\'s own role: it can only assume the target roles below, whose trust policies must name it too.',
    ...trustAndPermissions(base.role, chain, statements),
    `None needed: the role's only permissions are ${actions.map(code).join(' and ')} on the target roles.`,
  ].join('\n\n');
}

/** Why a trust statement beyond the AssumeRole one exists. */
const EXTRA_TRUST_PURPOSE: Record<string, string> = {
  'sts:TagSession': 'EKS Pod Identity puts six transitive session tags on the base role\'s session, so when that session ' +
    'assumes this role STS authorizes `sts:TagSession` along with `sts:AssumeRole`. This opens nothing by itself: ' +
    'without the `sts:AssumeRole` conditions above, STS hands out no credentials.',
};

/** The parts every role's section shares: trust chain, who may assume it, what it may do; then its denies. */
function trustAndPermissions(role: iam.Role, chain: string, statements: StatementDescription[]): string[] {
  const [assume, ...others] = trust(role);
  const list = (conditions: string[]) => conditions.map((c) => `- ${c}`).join('\n') || '- (no further condition)';
  return [
    '### Trust chain',
    chain,
    `Only these principals can assume it: ${assume.principals.join(', ')}; and only when:`,
    list(assume.conditions),
    ...others.flatMap((other) => [
      `${other.principals.join(', ')} may also ${other.actions.map(code).join(', ')}, only when:`,
      list(other.conditions),
      ...other.actions.map((action) => EXTRA_TRUST_PURPOSE[action]).filter((why) => why !== undefined),
    ]),
    '### Allowed actions',
    allowTable(role, statements),
    '### Guardrail denies',
  ];
}
