import { canonicalText, normalizeDocument, normalizeLakeFormation, NormalStatement, statementKey } from './normalize';
import { PolicyDocument, PrincipalPermissions, PrincipalPolicy } from './principal';

/**
 * drift: what changed between the principal as approved (expected: the template, cloud assembly or Terraform
 * plan it was deployed from) and as deployed (read back from IAM and Lake Formation). Policies match by content,
 * never by name (CloudFormation names managed policies at deploy): an allow counts as present when any deployed
 * policy allows it, wherever it sits.
 */

/** One allowed (action, resource) pair under one set of conditions, from one statement. */
interface Grant {
  readonly action: string;
  readonly resource: string;
  /** The statement's condition as canonical text ('' none). */
  readonly condition: string;
}

/** An allow the deployed principal lacks: the dataplane fails where it needs it. */
export interface MissingAccess {
  readonly kind: 'access-missing';
  /** The expected policy that holds it. */
  readonly source: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: NormalStatement['condition'];
  /** Where the dataplane will fail. */
  readonly impact: string;
  /** Why it is missing: no deployed policy allows it, a deny added by hand, or the permissions boundary. */
  readonly cause: 'not-allowed' | 'denied' | 'boundary';
}

/** A deployed allow beyond the approved ones (a widened statement, an extra policy), or a guardrail deny removed. */
export interface AddedAccess {
  readonly kind: 'access-added';
  /** The deployed policy that holds it (for a removed guardrail, the expected one). */
  readonly source: string;
  readonly statement: NormalStatement;
  /** The pairs of the statement the approved policies do not allow (at most 20 shown). */
  readonly beyond: string[];
  /** The approved deny statements' actions that still hold against it, by service. */
  readonly stillDenied: string[];
  /** A guardrail deny that is no longer deployed. */
  readonly guardrailRemoved?: boolean;
}

/** The trust policy changed: who may assume the role, with which External ID and session name. */
export interface TrustChange {
  readonly kind: 'trust-changed';
  /** What differs, one line each (External ID, principal, session name condition). */
  readonly details: string[];
  readonly added: NormalStatement[];
  readonly removed: NormalStatement[];
}

/** The permissions boundary was added, removed or changed. */
export interface BoundaryChange {
  readonly kind: 'boundary-changed';
  readonly expected?: string;
  readonly deployed?: string;
  readonly added: NormalStatement[];
  readonly removed: NormalStatement[];
}

/** Lake Formation permissions granted beyond the approved ones, or missing. */
export interface LakeFormationChange {
  readonly kind: 'lake-formation-added' | 'lake-formation-missing';
  readonly resource: Record<string, unknown>;
  readonly permissions: string[];
  readonly permissionsWithGrantOption: string[];
}

/** A managed policy the approved principal attaches by ARN (an AWS managed policy, another stack's) is no longer attached. */
export interface PolicyDetached {
  readonly kind: 'policy-detached';
  readonly policyArn: string;
}

export type DriftFinding = MissingAccess | AddedAccess | TrustChange | BoundaryChange | LakeFormationChange | PolicyDetached;

/** The result of one drift check. */
export interface DriftReport {
  readonly principal: { readonly kind: 'role' | 'user'; readonly name?: string; readonly arn?: string; readonly expectedFrom?: string };
  readonly drifted: boolean;
  readonly findings: DriftFinding[];
  /** Whether Lake Formation was compared. */
  readonly lakeFormationCompared: boolean;
  /** What drift cannot see. */
  readonly notVisible: readonly string[];
}

/** Where the dataplane fails without an action, by service. */
const IMPACT: Record<string, string> = {
  athena: 'queries fail: Athena refuses the call (AccessDenied)',
  glue: 'catalog browsing and table metadata fail: Glue refuses the call',
  s3: 'reading table data or writing query results fails: S3 refuses the call',
  kms: 'encrypted data or query results cannot be read or written: KMS refuses the call',
  lakeformation: 'Lake Formation governed tables cannot be read (no data access credentials)',
  sts: 'the dataplane cannot assume the role',
};

/** Compares the approved principal with the deployed one. */
export function compareDrift(approved: PrincipalPermissions, deployed: PrincipalPermissions, notVisible: readonly string[] = []): DriftReport {
  const { expected, detached } = withExternalPolicies(approved, deployed);
  const findings: DriftFinding[] = [
    ...detached,
    ...trustChanges(expected.trust, deployed.trust),
    ...boundaryChanges(expected.permissionsBoundary, deployed.permissionsBoundary, approved.externalPermissionsBoundaryArn),
    ...policyChanges(expected, deployed),
    ...lakeFormationChanges(expected, deployed),
  ];
  return {
    principal: { kind: deployed.kind, name: deployed.name, arn: deployed.arn, expectedFrom: expected.logicalId },
    drifted: findings.length > 0,
    findings,
    lakeFormationCompared: deployed.lakeFormation !== undefined,
    notVisible,
  };
}

/**
 * The approved principal with the documents of the policies it attaches by ARN taken from the deployed ones of
 * the same ARN (compared by ARN: their content is not the principal's drift), and those no longer attached.
 */
function withExternalPolicies(
  expected: PrincipalPermissions,
  deployed: PrincipalPermissions,
): { expected: PrincipalPermissions; detached: PolicyDetached[] } {
  const deployedByArn = new Map(deployed.policies.filter((p) => p.kind === 'managed').map((p) => [p.source, p]));
  const external = expected.externalPolicyArns ?? [];
  const boundaryArn = expected.externalPermissionsBoundaryArn;
  return {
    expected: {
      ...expected,
      policies: [...expected.policies, ...external.flatMap((arn) => deployedByArn.get(arn) ?? [])],
      permissionsBoundary: expected.permissionsBoundary
        ?? (boundaryArn !== undefined && deployed.permissionsBoundary?.source === boundaryArn ? deployed.permissionsBoundary : undefined),
    },
    detached: external.filter((arn) => !deployedByArn.has(arn)).map((policyArn) => ({ kind: 'policy-detached', policyArn })),
  };
}

interface SourcedStatement {
  readonly source: string;
  readonly statement: NormalStatement;
}

function statementsOf(policies: readonly PrincipalPolicy[]): SourcedStatement[] {
  return policies.flatMap((p) => normalizeDocument(p.document).map((statement) => ({ source: p.source, statement })));
}

function grantsOf(statement: NormalStatement): Grant[] {
  const condition = conditionText(statement);
  return (statement.action ?? []).flatMap((action) => (statement.resource ?? []).map((resource) => ({ action, resource, condition })));
}

/** Compiled wildcard patterns: a role of ten policies compares thousands of pairs against the same patterns. */
const compiledPatterns = new Map<string, RegExp>();

/** IAM's wildcards: `*` any run of characters, `?` one; actions case-insensitive, resources not. */
function globMatches(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (!/[*?]/.test(pattern)) return caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${caseInsensitive ? 'i' : 's'}:${pattern}`;
  let compiled = compiledPatterns.get(key);
  if (compiled === undefined) {
    const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    compiled = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    compiledPatterns.set(key, compiled);
  }
  return compiled.test(value);
}

/** A statement's condition as canonical text ('' none), computed once per statement. */
const conditionTexts = new WeakMap<NormalStatement, string>();
function conditionText(statement: NormalStatement): string {
  let text = conditionTexts.get(statement);
  if (text === undefined) {
    text = statement.condition === undefined ? '' : canonicalText(statement.condition);
    conditionTexts.set(statement, text);
  }
  return text;
}

/** Whether a statement (Allow or Deny) applies to every request of `grant`: its patterns cover the pair, with no narrower condition. */
function covers(statement: NormalStatement, grant: Grant): boolean {
  const actionOk = statement.action !== undefined ? statement.action.some((a) => globMatches(a, grant.action, true))
    : !(statement.notAction ?? []).some((a) => globMatches(a, grant.action, true));
  const resourceOk = statement.resource !== undefined ? statement.resource.some((r) => globMatches(r, grant.resource, false))
    : !(statement.notResource ?? []).some((r) => globMatches(r, grant.resource, false));
  const conditionOk = statement.condition === undefined || conditionText(statement) === grant.condition;
  return actionOk && resourceOk && conditionOk;
}

/** Whether a deny statement applies to some request of the pair (a deny with a condition still may). */
function touches(statement: NormalStatement, grant: Grant): boolean {
  return covers({ ...statement, condition: undefined }, grant)
    || (statement.action ?? []).some((a) => globMatches(grant.action, a, true));
}

function policyChanges(expected: PrincipalPermissions, deployed: PrincipalPermissions): DriftFinding[] {
  const want = statementsOf(expected.policies);
  const have = statementsOf(deployed.policies);
  const haveAllows = have.filter((s) => s.statement.effect === 'Allow');
  const wantAllows = want.filter((s) => s.statement.effect === 'Allow');
  // A statement deployed exactly as approved allows all it did: only the others need comparing pair by pair.
  const haveAllowKeys = new Set(haveAllows.map((s) => statementKey(s.statement)));
  const wantAllowKeys = new Set(wantAllows.map((s) => statementKey(s.statement)));
  const wantDenyKeys = new Set(want.filter((s) => s.statement.effect === 'Deny').map((s) => statementKey(s.statement)));
  const handDenies = have.filter((s) => s.statement.effect === 'Deny' && !wantDenyKeys.has(statementKey(s.statement)));
  const boundary = deployed.permissionsBoundary === undefined ? undefined
    : normalizeDocument(deployed.permissionsBoundary.document).filter((s) => s.effect === 'Allow');
  const findings: DriftFinding[] = [];
  for (const { source, statement } of wantAllows) {
    const missing = new Map<MissingAccess['cause'], Grant[]>();
    const deployedAsApproved = haveAllowKeys.has(statementKey(statement));
    for (const grant of grantsOf(statement)) {
      const cause = !deployedAsApproved && !haveAllows.some((s) => covers(s.statement, grant)) ? 'not-allowed'
        : handDenies.some((s) => touches(s.statement, grant)) ? 'denied'
          : boundary !== undefined && !boundary.some((s) => covers(s, grant)) ? 'boundary' : undefined;
      if (cause !== undefined) missing.set(cause, [...(missing.get(cause) ?? []), grant]);
    }
    for (const [cause, grants] of missing) {
      const actions = [...new Set(grants.map((g) => g.action))].sort();
      findings.push({
        kind: 'access-missing',
        source,
        actions,
        resources: [...new Set(grants.map((g) => g.resource))].sort(),
        condition: statement.condition,
        impact: [...new Set(actions.map((a) => IMPACT[a.split(':')[0]] ?? `${a.split(':')[0]} refuses the call`))].join('; '),
        cause,
      });
    }
  }
  const denies = have.filter((s) => s.statement.effect === 'Deny' && wantDenyKeys.has(statementKey(s.statement)));
  for (const { source, statement } of haveAllows) {
    if (wantAllowKeys.has(statementKey(statement))) continue;
    const beyond = beyondApproved(statement, wantAllows.map((s) => s.statement));
    if (beyond.length === 0) continue;
    const stillDenied = [...new Set(denies.filter((d) => grantsOf(statement).some((g) => touches(d.statement, g)))
      .flatMap((d) => d.statement.action ?? []))].sort();
    findings.push({ kind: 'access-added', source, statement, beyond: beyond.slice(0, 20), stillDenied });
  }
  const haveKeys = new Set(have.map((s) => statementKey(s.statement)));
  for (const { source, statement } of want.filter((s) => s.statement.effect === 'Deny' && !haveKeys.has(statementKey(s.statement)))) {
    findings.push({ kind: 'access-added', source, statement, beyond: (statement.action ?? []).slice(0, 20), stillDenied: [], guardrailRemoved: true });
  }
  return findings;
}

/** The pairs of a deployed allow no approved allow covers: a literal one, or a wildcard wider than every approved pattern. */
function beyondApproved(statement: NormalStatement, approved: NormalStatement[]): string[] {
  if (statement.notAction !== undefined || statement.notResource !== undefined) {
    return approved.some((a) => statementKey(a) === statementKey(statement)) ? [] : [describeStatement(statement)];
  }
  return grantsOf(statement).filter((grant) => !approved.some((a) => covers(a, grant)))
    .map((g) => `${g.action} on ${g.resource}`);
}

/** A statement on one line, for the report. */
export function describeStatement(statement: NormalStatement): string {
  const part = (label: string, values?: string[]) => (values === undefined ? [] : [`${label} ${values.join(', ')}`]);
  return [
    statement.effect,
    ...part('', statement.action).map((s) => s.trim()),
    ...part('NotAction', statement.notAction),
    ...part('on', statement.resource),
    ...part('on all but', statement.notResource),
    ...(statement.condition === undefined ? [] : [`when ${canonicalText(statement.condition)}`]),
  ].join(' ');
}

function trustChanges(expected: PolicyDocument | undefined, deployed: PolicyDocument | undefined): TrustChange[] {
  if (expected === undefined || deployed === undefined) return [];
  const want = normalizeDocument(expected);
  const have = normalizeDocument(deployed);
  const wantKeys = new Set(want.map(statementKey));
  const haveKeys = new Set(have.map(statementKey));
  const added = have.filter((s) => !wantKeys.has(statementKey(s)));
  const removed = want.filter((s) => !haveKeys.has(statementKey(s)));
  if (added.length === 0 && removed.length === 0) return [];
  const values = (statements: NormalStatement[], pick: (s: NormalStatement) => string[]) => [...new Set(statements.flatMap(pick))].sort().join(', ') || '(none)';
  const conditionValues = (key: string) => (s: NormalStatement) => Object.values(s.condition ?? {}).flatMap((byKey) => byKey[key] ?? []);
  const principals = (s: NormalStatement) => Object.entries(s.principal ?? {}).flatMap(([type, ids]) => ids.map((id) => `${type} ${id}`));
  const details = [
    ['External ID (sts:ExternalId)', conditionValues('sts:externalid')],
    ['principal', principals],
    ['session name condition (sts:RoleSessionName)', conditionValues('sts:rolesessionname')],
    ['actions', (s: NormalStatement) => s.action ?? []],
  ].flatMap(([label, pick]) => {
    const before = values(want, pick as (s: NormalStatement) => string[]);
    const after = values(have, pick as (s: NormalStatement) => string[]);
    return before === after ? [] : [`${label as string}: approved ${before}, deployed ${after}`];
  });
  return [{ kind: 'trust-changed', details: details.length > 0 ? details : ['a statement changed (see below)'], added, removed }];
}

function boundaryChanges(expected: PrincipalPolicy | undefined, deployed: PrincipalPolicy | undefined, expectedArn?: string): BoundaryChange[] {
  if (expected === undefined && expectedArn !== undefined) {
    // Attached by ARN, and not the deployed boundary (withExternalPolicies took the document when it is).
    return [{ kind: 'boundary-changed', expected: expectedArn, deployed: deployed?.source, added: deployed === undefined ? [] : normalizeDocument(deployed.document), removed: [] }];
  }
  const want = expected === undefined ? [] : normalizeDocument(expected.document);
  const have = deployed === undefined ? [] : normalizeDocument(deployed.document);
  const wantKeys = new Set(want.map(statementKey));
  const haveKeys = new Set(have.map(statementKey));
  const added = have.filter((s) => !wantKeys.has(statementKey(s)));
  const removed = want.filter((s) => !haveKeys.has(statementKey(s)));
  if ((expected === undefined) === (deployed === undefined) && added.length === 0 && removed.length === 0) return [];
  return [{ kind: 'boundary-changed', expected: expected?.source, deployed: deployed?.source, added, removed }];
}

function lakeFormationChanges(expected: PrincipalPermissions, deployed: PrincipalPermissions): LakeFormationChange[] {
  if (deployed.lakeFormation === undefined) return [];
  const account = /^arn:[\w-]+:iam::(\d{12}):/.exec(deployed.arn ?? '')?.[1];
  const want = normalizeLakeFormation(expected.lakeFormation ?? [], account);
  const have = normalizeLakeFormation(deployed.lakeFormation, account);
  const changes: LakeFormationChange[] = [];
  const difference = (kind: LakeFormationChange['kind'], from: typeof want, other: typeof want) => {
    for (const [key, grant] of from) {
      const theirs = other.get(key);
      const permissions = grant.permissions.filter((p) => !theirs?.permissions.includes(p));
      const permissionsWithGrantOption = grant.permissionsWithGrantOption.filter((p) => !theirs?.permissionsWithGrantOption.includes(p));
      if (permissions.length > 0 || permissionsWithGrantOption.length > 0) {
        changes.push({ kind, resource: grant.resource, permissions, permissionsWithGrantOption });
      }
    }
  };
  difference('lake-formation-missing', want, have);
  difference('lake-formation-added', have, want);
  return changes;
}
