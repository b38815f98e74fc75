import { deployTimeFragments, deployTimeMarker, DeployTimeValue } from '../model/deploy-time';
import { FormatRule, NameOrPatternRule, RangeRule, WILDCARD_PATTERN } from '../model/format-rules';
import { StatementSpec } from '../model/statement-spec';

/**
 * HCL for values the model builds. A model deploy-time value renders to a Terraform expression: a scalar
 * (`var.x`, `local.x`) to itself, an item of a list variable to the iteration variable of a `for` expression over
 * that list, so that a string holding it renders to one string per item.
 */

/** What a deploy-time value stands for in the module. */
interface TerraformValue {
  /** The expression, inside a `${...}` interpolation. */
  readonly expression: string;
  /** For an item of a list: the list expression and the iteration variable `expression` uses. */
  readonly list?: ListRange;
}

const EXPRESSIONS = new Map<DeployTimeValue, TerraformValue>();

/**
 * A model marker for a scalar Terraform expression, such as `var.role_name`; `presence` names the condition that
 * holds when an optional (nullable) one is set, so that a statement on it exists only then.
 */
export function scalarMarker(expression: string, maxLength: number, presence?: string): string {
  const value: DeployTimeValue = { maxLength, listPresence: presence };
  EXPRESSIONS.set(value, { expression });
  return deployTimeMarker(value);
}

/** A list variable's item as the model sees it: `item` is the `for` iteration variable, `over` the list. */
export interface ListItem {
  /** The item's model value (for builders that take a `bucket` part, set it). */
  readonly value: DeployTimeValue;
  /** The item's marker. */
  readonly marker: string;
}

/**
 * Marks an item of the list `over`, rendered as `expression` (over the iteration variable `item`); `within` names
 * the list whose item `over` belongs to (`over` refers to that list's iteration variable).
 */
export function listItem(over: string, item: string, expression: string, value: DeployTimeValue, within?: string): ListItem {
  EXPRESSIONS.set(value, { expression, list: { over, item, presence: value.listPresence, within } });
  return { value, marker: deployTimeMarker(value) };
}

/** Interpolations of the module's own references (the provider's partition, Region and account), kept in literals. */
const REFERENCES = new Set<string>();

/**
 * A reference of the module (`data.aws_partition.current.partition`) as text for the model's builders: the
 * interpolation `${<expression>}`, which {@link literal} keeps. Unlike a deploy-time marker, the model reads it as
 * a plain string, as it reads the CDK's pseudo parameters (an ARN holding it still comes from an optional list).
 */
export function reference(expression: string): string {
  const text = `\${${expression}}`;
  REFERENCES.add(text);
  return text;
}

/** A quoted HCL string literal: interpolation and directive sequences escaped, but the module's references. */
export function literal(text: string): string {
  const quoted = JSON.stringify(text).replace(/%\{/g, '%%{');
  let out = '';
  for (let at = 0; at < quoted.length; at++) {
    const kept = quoted.startsWith('${', at) ? [...REFERENCES].find((r) => quoted.startsWith(r, at)) : undefined;
    if (kept !== undefined) {
      out += kept;
      at += kept.length - 1;
    } else {
      out += quoted.startsWith('${', at) ? '$$' : quoted[at];
    }
  }
  return out;
}

/** A list variable a rendered string ranges over: the list expression and the `for` iteration variable. */
export interface ListRange {
  readonly over: string;
  readonly item: string;
  /** The model's condition that holds when the list is not empty, for an optional list. */
  readonly presence?: string;
  /**
   * For a list of an item of another list (such as a bucket's folders): that list's `over`. A string ranging over
   * it renders only inside a `for` over that list, which a statement on both is (see {@link eachItemOf}).
   */
  readonly within?: string;
}

/** A filter of a list's items: the HCL condition on the iteration variable, or undefined to keep every item. */
export type ItemFilter = (list: ListRange) => string | undefined;

/** A rendered string: an HCL expression, and the list it ranges over when it makes one string per item. */
interface Rendered {
  readonly hcl: string;
  readonly over?: ListRange;
}

/** `bound`: the list whose item an enclosing `for` binds, which renders as one string. */
function renderString(value: string, where?: ItemFilter, bound?: string): Rendered {
  const fragments = deployTimeFragments(value);
  let over: Rendered['over'];
  const parts = fragments.map((fragment) => {
    if (typeof fragment === 'string') return literal(fragment).slice(1, -1);
    const terraform = EXPRESSIONS.get(fragment);
    if (terraform === undefined) throw new Error('A deploy-time value the Terraform module does not define cannot be rendered in HCL');
    if (terraform.list && terraform.list.over !== bound) {
      if (over !== undefined && over.over !== terraform.list.over) throw new Error(`"${value}" holds items of two lists`);
      over = terraform.list;
    }
    return `\${${terraform.expression}}`;
  });
  const text = `"${parts.join('')}"`;
  // A string that is only one interpolation is that expression.
  const hcl = fragments.length === 1 && typeof fragments[0] !== 'string' ? EXPRESSIONS.get(fragments[0])!.expression : text;
  if (over === undefined) return { hcl };
  const filter = where?.(over);
  return { hcl: `[for ${over.item} in ${over.over} : ${hcl}${filter === undefined ? '' : ` if ${filter}`}]`, over };
}

/** The list variables the strings range over (none for strings that are one value each). */
export function listsOf(values: string[]): ListRange[] {
  const lists = new Map<string, ListRange>();
  for (const over of values.map((v) => renderString(v).over)) if (over) lists.set(over.over, over);
  return [...lists.values()];
}

/** A string as an HCL expression; refuses one that stands for a list. */
export function hclString(value: string, bound?: string): string {
  const rendered = renderString(value, undefined, bound);
  if (rendered.over) throw new Error(`"${value}" stands for one string per item of ${rendered.over.over}, not one string`);
  return rendered.hcl;
}

/**
 * A list of strings as an HCL list expression: items of list variables expand (those `where` keeps), and repeated
 * values are removed.
 */
export function hclList(values: string[], where?: ItemFilter, bound?: string): string {
  const rendered = values.map((v) => renderString(v, where, bound));
  if (rendered.every((r) => r.over === undefined)) return `[${rendered.map((r) => r.hcl).join(', ')}]`;
  // Runs of single strings stay literal lists; each item string becomes its `for` expression.
  const lists: string[] = [];
  let run: string[] = [];
  for (const r of rendered) {
    if (r.over === undefined) {
      run.push(r.hcl);
      continue;
    }
    if (run.length > 0) lists.push(`[${run.join(', ')}]`);
    run = [];
    lists.push(r.hcl);
  }
  if (run.length > 0) lists.push(`[${run.join(', ')}]`);
  return lists.length === 1 ? `distinct(${lists[0]})` : `distinct(concat(${lists.join(', ')}))`;
}

/** A JSON-like value (objects, arrays of strings, strings) as an HCL expression. */
export function hclValue(value: unknown, indent = '', bound?: string): string {
  if (typeof value === 'string') return hclString(value, bound);
  if (Array.isArray(value)) return hclList(value as string[], undefined, bound);
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(([key, v]) => `${inner}${literal(key)} = ${hclValue(v, inner, bound)}`);
    return `{\n${entries.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** RE2 repeats at most 1,000 times (https://github.com/google/re2/wiki/Syntax). */
const RE2_MAX_REPEAT = 1000;

/**
 * The rule's pattern as RE2 takes it: a bounded repeat beyond RE2's 1,000 is left open (`{2,}`), which only a
 * rule whose `maxLength` bounds the value may do (the length check then says what the bound said).
 */
function re2Pattern(rule: FormatRule): string {
  return rule.pattern.replace(/\{(\d+),(\d+)\}/g, (repeat, min: string, max: string) => {
    if (Number(max) <= RE2_MAX_REPEAT) return repeat;
    if (rule.maxLength === undefined) throw new Error(`${rule.pattern}: RE2 repeats at most ${RE2_MAX_REPEAT} times, and the rule has no maxLength to bound the value`);
    return `{${min},}`;
  });
}

/** Where a rule applies to a variable: the variable itself, each item of a list, or an attribute of each object. */
export interface RuleTarget {
  /** The variable's name. */
  readonly variable: string;
  /** The variable is a list: the rule applies to each item. */
  readonly each?: boolean;
  /**
   * The variable is a list of objects: the attribute the rule applies to, and the other attributes of an item the
   * module accepts (the tests' bad item is that item with the attribute's bad value).
   */
  readonly attribute?: {
    readonly name: string;
    readonly validItem: Record<string, string>;
    /** The attribute is a list: the rule applies to each of its values (a null list, with `nullable`, to none). @default false */
    readonly each?: boolean;
  };
  /** The value may be null (unset), which the rule accepts. */
  readonly nullable?: boolean;
}

/**
 * The iteration variable of a rule over a list's items: a condition of {@link validationBlocks}' `when` may name the
 * item (`v.catalog_name`) beside the value it checks.
 */
export const RULE_ITEM = 'v';

/** A `validation` block of a variable, and what the module's tests feed it. */
export interface Validation {
  /** The block's HCL. */
  readonly hcl: string;
  /** Its name in the tests: `<variable>_<what it checks>`. */
  readonly name: string;
  /** HCL of a value of the variable that this block refuses and the variable's other blocks accept. */
  readonly bad: string;
}

/** A rule's HCL condition and message (see {@link validation}). */
function ruleParts(target: RuleTarget, condition: (value: string) => string, accepted: string): { condition: string; message: string } {
  const variable = `var.${target.variable}`;
  const v = RULE_ITEM;
  const item = target.each ? (target.attribute ? `${v}.${target.attribute.name}` : v) : variable;
  const holds = target.nullable ? `${item} == null ? true : ${condition(item)}` : condition(item);
  const text = (t: string) => literal(t).slice(1, -1);
  if (!target.each) return { condition: holds, message: `"Invalid ${target.variable}: \${jsonencode(${variable})}. ${text(accepted)}"` };
  const where = `${target.variable}[\${i}]${target.attribute ? `.${target.attribute.name}` : ''}`;
  if (target.attribute?.each) {
    // Each value x of the item's list attribute.
    const values = target.nullable ? `(${item} == null ? [] : ${item})` : item;
    const refusedValues = `join(", ", flatten([for i, ${v} in ${variable} : [for j, x in ${values} : "${where}[\${j}]: \${jsonencode(x)}" if !(${condition('x')})]]))`;
    return {
      condition: `alltrue(flatten([for ${v} in ${variable} : [for x in ${values} : ${condition('x')}]]))`,
      message: `"Invalid \${${refusedValues}}. ${text(accepted)}"`,
    };
  }
  const refused = `join(", ", [for i, ${v} in ${variable} : "${where}: \${jsonencode(${item})}" if !(${holds})])`;
  return { condition: `alltrue([for ${v} in ${variable} : ${holds}])`, message: `"Invalid \${${refused}}. ${text(accepted)}"` };
}

/**
 * A `validation` block: `condition` of the value (`var.x`, or each item's), and a message worded as the constructs'
 * errors, `Invalid <variable>: <JSON value>. <accepted>`, which for a list names each item refused, as
 * `Invalid <variable>[<index>]: ...`. `bad` is the value (or item) that breaks it.
 */
export function validation(target: RuleTarget, checkName: string, condition: (value: string) => string, accepted: string, bad: string): Validation {
  const parts = ruleParts(target, condition, accepted);
  let badValue = bad;
  if (target.each) {
    const attrs = target.attribute && { ...target.attribute.validItem, [target.attribute.name]: target.attribute.each ? `[${bad}]` : bad };
    badValue = attrs ? `[{ ${Object.entries(attrs).map(([k, v]) => `${k} = ${v}`).join(', ')} }]` : `[${bad}]`;
  }
  const name = `${target.variable}${target.attribute ? `_${target.attribute.name}` : ''}_${checkName}`;
  return { hcl: validationBlock(parts), name, bad: badValue };
}

/** A rule's `validation` block. */
function validationBlock(parts: { condition: string; message: string }): string {
  return `  validation {\n    condition     = ${parts.condition}\n    error_message = ${parts.message}\n  }`;
}

/** A rule's `precondition` block, which holds where `when` (HCL) does not. */
function preconditionBlock(when: string, parts: { condition: string; message: string }): string {
  // `!x` of a plain reference is `x` when negated, not `!(!x)`.
  const unless = /^![\w.]+$/.test(when) ? when.slice(1) : `!(${when})`;
  return `    precondition {
      condition     = ${unless} || ${parts.condition}
      error_message = ${parts.message}
    }`;
}

/**
 * A `precondition` block (in a resource's `lifecycle`) for a rule over several variables, which a validation block
 * cannot check before Terraform 1.9: the rule holds for the target variable where `when` (HCL) holds, and its
 * message is worded as a validation's.
 */
export function precondition(target: RuleTarget, when: string, condition: (value: string) => string, accepted: string): string {
  return preconditionBlock(when, ruleParts(target, condition, accepted));
}

/** A value the rule's data gives, or an error naming what is missing. */
function example(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`${what} has no example to test it with: give one in lib/model`);
  return literal(value);
}

/**
 * `validation` blocks for a format rule of the model: the pattern (and the lengths it does not say itself), and one
 * block per refused shape, so that RE2, Terraform's regex, which has no lookaheads, checks what a lookahead would.
 * Terraform reads the rules' patterns as JavaScript does. `when` limits the rule to the values it holds for.
 */
export function validationBlocks(rule: FormatRule, target: RuleTarget, when?: { check: string; condition: (value: string) => string }): Validation[] {
  const only = (condition: (value: string) => string) => (when ? (v: string) => `!(${when.condition(v)}) ? true : ${condition(v)}` : condition);
  const prefix = when ? `${when.check}_` : '';
  const checks = (v: string) => [
    `can(regex(${literal(re2Pattern(rule))}, ${v}))`,
    ...(rule.minLength === undefined ? [] : [`length(${v}) >= ${rule.minLength}`]),
    ...(rule.maxLength === undefined ? [] : [`length(${v}) <= ${rule.maxLength}`]),
  ].join(' && ');
  return [
    validation(target, `${prefix}format`, only(checks), rule.accepted, example(rule.invalidExample, `The rule ${rule.pattern}`)),
    ...(rule.refused ?? []).map((refused, index) => validation(target, `${prefix}refused_${index + 1}`,
      only((v) => `!can(regex(${literal(refused.pattern)}, ${v}))`), refused.accepted, example(refused.example, `The refused shape ${refused.pattern}`))),
  ];
}

/** `validation` blocks for a name or a pattern of names: the name rule for a value without wildcards, the pattern rule for one with. */
export function nameOrPatternBlocks(rule: NameOrPatternRule, target: RuleTarget): Validation[] {
  const wildcard = (v: string) => `can(regex(${literal(WILDCARD_PATTERN)}, ${v}))`;
  return [
    ...validationBlocks(rule.name, target, { check: 'name', condition: (v) => `!${wildcard(v)}` }),
    ...validationBlocks(rule.pattern, target, { check: 'pattern', condition: wildcard }),
  ];
}

/** A `validation` block for a number within the rule's range. */
export function rangeBlock(rule: RangeRule, target: RuleTarget): Validation {
  const whole = (v: string) => (rule.wholeNumber ? `floor(${v}) == ${v} && ` : '');
  return validation(target, 'range', (v) => `${whole(v)}${v} >= ${rule.min} && ${v} <= ${rule.max}`, rule.accepted, String(rule.invalidExample));
}

/** A `validation` block for a list of at least `min` entries. */
export function listLengthBlock(variable: string, min: number, accepted: string): Validation {
  return validation({ variable }, 'empty', (v) => `length(${v}) >= ${min}`, accepted, '[]');
}

/**
 * A statement as an HCL object, as `jsonencode` renders an IAM policy statement; `where` filters the items of the
 * list variables its resources range over. A statement one per item of a list renders with {@link statementsPerItem}.
 */
export function statementObject(spec: StatementSpec, indent: string, where?: ItemFilter): string {
  const each = eachItemOf(spec);
  if (each !== undefined) throw new Error(`Statement ${spec.sid} is one per item of ${each.over}: render it with statementsPerItem`);
  return objectOf(spec, literal(spec.sid), indent, where);
}

function objectOf(spec: StatementSpec, sid: string, indent: string, where?: ItemFilter, bound?: string): string {
  const inner = `${indent}  `;
  const fields: Array<[string, string]> = [
    ['Sid', sid],
    ['Effect', literal(spec.effect)],
    ['Action', hclList(spec.actions)],
    spec.notResources ? ['NotResource', hclList(spec.notResources, where, bound)] : ['Resource', hclList(spec.resources, where, bound)],
    ...(spec.conditions ? [['Condition', hclValue(spec.conditions, inner, bound)] as [string, string]] : []),
  ];
  return `{\n${fields.map(([key, value]) => `${inner}${key} = ${value}`).join('\n')}\n${indent}}`;
}

/**
 * The list a statement is one of per item: its resources' list, when its condition ranges over a list within that
 * list's items (a bucket's own folders); undefined for a statement that is one statement.
 */
export function eachItemOf(spec: StatementSpec): ListRange | undefined {
  const values = Object.values(spec.conditions ?? {}).flatMap((c) => Object.values(c)).flat()
    .filter((v): v is string => typeof v === 'string');
  const within = listsOf(values).filter((l) => l.within !== undefined);
  if (within.length === 0) return undefined;
  const [resources, ...others] = listsOf(spec.notResources ?? spec.resources);
  if (others.length > 0 || within.some((l) => l.within !== resources?.over)) {
    throw new Error(`Statement ${spec.sid}: a condition over a list within items needs resources over that list only`);
  }
  return resources;
}

/**
 * A statement one per item of its list ({@link eachItemOf}; those `where` keeps), as an HCL list of objects: the
 * item is one value in its resources and condition, and the Sids are numbered as the model numbers statements of a
 * kind (`<sid>`, `<sid>2`, ...), from the statement's own number, which keeps them unique in a policy.
 */
export function statementsPerItem(spec: StatementSpec, indent: string, where?: ItemFilter): string {
  const list = eachItemOf(spec);
  if (list === undefined) throw new Error(`Statement ${spec.sid} is one statement: render it with statementObject`);
  const filter = where?.(list);
  const items = filter === undefined ? list.over : `[for ${list.item} in ${list.over} : ${list.item} if ${filter}]`;
  // A numbered Sid (the model's second statement of a kind, `<sid>2`) goes on from its number.
  const [, base, number] = /^(.*?)(\d*)$/.exec(spec.sid)!;
  const sid = number === '' ? `"${base}\${i == 0 ? "" : i + 1}"` : `"${base}\${i + ${number}}"`;
  return `[for i, ${list.item} in ${items} : ${objectOf(spec, sid, indent, undefined, list.over)}]`;
}

/**
 * A precondition that refuses at plan a document IAM would refuse at apply (the provider checks no size):
 * `jsonencode` writes no whitespace, and counts `<`, `>` and `&` as their six-character escapes, an upper bound.
 */
export function sizeCheck(document: string, what: string, limit: number, kind: string, shorten: string): string {
  const message = `${what} is ${reference(`length(${document})`)} characters, over IAM's limit of ${limit} ${kind} `
    + `(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): ${shorten}.`;
  return `    precondition {
      condition     = length(${document}) <= ${limit}
      error_message = ${literal(message)}
    }`;
}

/** A synth warning as a `check` block: a plan warns and goes on. */
export function check(name: string, condition: string, message: string): string {
  return `
check "${name}" {
  assert {
    condition     = ${condition}
    error_message = ${literal(message)}
  }
}
`;
}

/**
 * A rule over each item of a list variable whose message tells each refused item its own words: `refused` (HCL of
 * the item {@link RULE_ITEM} and its index `i`) holds for a refused item, and its message is
 * `Invalid <variable>[<index>]<path>: <JSON of value>. <problem>`, where each marker `{{name}}` of `problem` stands
 * for the HCL expression `values[name]`; the messages of several items are joined by spaces.
 */
export interface ItemRule {
  readonly variable: string;
  /** What follows the item in the message, e.g. `.catalog_name`. */
  readonly path: string;
  /** HCL of the value the message shows, e.g. `v.catalog_name`. */
  readonly value: string;
  readonly refused: string;
  readonly problem: string;
  /** @default - none */
  readonly values?: Record<string, string>;
}

/** An {@link ItemRule}'s condition (over every item) and message. */
function itemRuleParts(rule: ItemRule): { condition: string; message: string } {
  let problem = literal(rule.problem).slice(1, -1);
  for (const [name, expression] of Object.entries(rule.values ?? {})) {
    const marker = `{{${name}}}`;
    if (!problem.includes(marker)) throw new Error(`"${rule.problem}" holds no ${marker}`);
    problem = problem.split(marker).join(`\${${expression}}`);
  }
  const v = RULE_ITEM;
  const each = `"Invalid ${rule.variable}[\${i}]${rule.path}: \${jsonencode(${rule.value})}. ${problem}"`;
  return {
    condition: `alltrue([for i, ${v} in var.${rule.variable} : !(${rule.refused})])`,
    message: `"\${join(" ", [for i, ${v} in var.${rule.variable} : ${each} if ${rule.refused}])}"`,
  };
}

/** A `validation` block of an {@link ItemRule}; `bad` is a value of the variable it refuses (see {@link validation}). */
export function itemValidation(rule: ItemRule, checkName: string, bad: string): Validation {
  return { hcl: validationBlock(itemRuleParts(rule)), name: `${rule.variable}_${checkName}`, bad };
}

/** A `precondition` block of an {@link ItemRule} over several variables, which holds where `when` (HCL) does not (see {@link precondition}). */
export function itemPrecondition(rule: ItemRule, when: string): string {
  return preconditionBlock(when, itemRuleParts(rule));
}
