import { AccessChange, ConditionClause, Grant, serviceName } from './access';
import { PrincipalComparison } from './compare';
import { describePrincipal } from './sources';

/**
 * A comparison for people (Markdown: changes grouped by service, each action with its access level, and a line
 * saying whether access broadens) and for programs (JSON without the two sides' documents).
 */

/** The verdict line of a comparison. */
export function verdict(comparison: { changed: boolean; broadens: boolean }): string {
  if (!comparison.changed) return '**No change in access.**';
  return comparison.broadens
    ? '**This change broadens access**: some requests denied before are allowed after.'
    : '**This change does not broaden access**: it only removes or narrows what is allowed.';
}

/** The Markdown of one principal's comparison, its headings starting at `level` (2: `##`). */
export function renderComparisonMarkdown(comparison: PrincipalComparison, level = 2): string {
  const h = (extra: number) => '#'.repeat(level + extra);
  const lines = [`${h(0)} ${describePrincipal(comparison.after)}`, '', verdict(comparison)];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push('', `${h(1)} ${title}`, '', ...body);
  };
  section('Permissions', accessTables(comparison.permissions.allows, 'Resource', h(2)));
  section('Guardrails (Deny statements)', accessTables(comparison.permissions.denies, 'Resource', h(2), 'deny'));
  section('Trust (who may assume the role)', accessTables([...comparison.trust.allows, ...comparison.trust.denies], 'Principal', h(2)));
  section('Permissions boundary', boundaryLines(comparison, h(2)));
  const external = [
    ...comparison.externalPolicies.added.map((arn) => `- attached: \`${arn}\` (its document is not in the template: review it)`),
    ...comparison.externalPolicies.removed.map((arn) => `- detached: \`${arn}\``),
  ];
  section('Managed policies defined elsewhere', external);
  const lf = [...comparison.lakeFormation.added.map((g) => ['added', g] as const), ...comparison.lakeFormation.removed.map((g) => ['removed', g] as const)];
  section('Lake Formation grants', lf.length === 0 ? [] : [
    '| Change | Resource | Permission |',
    '|---|---|---|',
    ...lf.map(([change, g]) => `| ${change} | ${g.description} | ${g.permission}${g.grantable ? ' (with grant option)' : ''} |`),
  ]);
  return `${lines.join('\n')}\n`;
}

/** The comparison as JSON: the two sides named, every change, the verdict. */
export function comparisonJson(comparison: PrincipalComparison): Record<string, unknown> {
  const { before, after, ...changes } = comparison;
  const side = (p: typeof before) => ({ kind: p.kind, name: p.name, arn: p.arn, logicalId: p.logicalId });
  return { before: side(before), after: side(after), ...changes };
}

const CHANGE_WORDS: Record<AccessChange['kind'], string> = {
  'added': 'added',
  'removed': 'removed',
  'narrowed': 'narrowed',
  'condition-loosened': 'condition loosened',
  'condition-tightened': 'condition tightened',
  'condition-changed': 'condition changed',
};

function accessTables(changes: AccessChange[], targetTitle: string, heading: string, effect: 'allow' | 'deny' = 'allow'): string[] {
  const byService = new Map<string, AccessChange[]>();
  for (const change of changes) byService.set(change.service, [...(byService.get(change.service) ?? []), change]);
  return [...byService.keys()].sort().flatMap((service) => [
    `${heading} ${serviceName(service)} (\`${service}\`)`,
    '',
    `| Change | Action | Access level | ${targetTitle} | Condition | Broadens |`,
    '|---|---|---|---|---|---|',
    ...byService.get(service)!.map((c) => `| ${effect === 'deny' ? 'Deny ' : ''}${CHANGE_WORDS[c.kind]} | ${c.action} | ${c.accessLevel} | ${targetText(c)} | ${conditionCell(c)} | ${c.broadens ? 'yes' : 'no'} |`),
    '',
  ]).slice(0, -1);
}

function targetText(change: AccessChange): string {
  const text = grantTarget(change.grant);
  return change.kind === 'narrowed' ? `${text} → ${change.counterparts!.map(grantTarget).join(', ')}` : text;
}

function grantTarget(grant: Grant): string {
  const target = `\`${grant.target}\``;
  return grant.except ? `${target} except ${grant.except.map((e) => `\`${e}\``).join(', ')}` : target;
}

function conditionCell(change: AccessChange): string {
  const now = conditionText(change.grant.condition);
  if (!change.kind.startsWith('condition-')) return now;
  const other = change.counterparts!.map((g) => conditionText(g.condition) || 'none').join(' or ');
  return change.kind === 'condition-tightened' ? `${now || 'none'}, now ${other}` : `${now || 'none'}, was ${other}`;
}

function conditionText(clauses: ConditionClause[] | undefined): string {
  return (clauses ?? []).map((c) => `${c.operator} \`${c.key}\` = ${c.values.map((v) => `\`${v}\``).join(' or ')}`).join('; ');
}

function boundaryLines(comparison: PrincipalComparison, heading: string): string[] {
  const boundary = comparison.permissionsBoundary;
  if (!boundary.changed) return [];
  if (boundary.access) return accessTables([...boundary.access.allows, ...boundary.access.denies], 'Resource', heading);
  if (boundary.before === undefined) return [`- added: \`${boundary.after}\` (caps what the policies allow)`];
  if (boundary.after === undefined) return [`- removed: \`${boundary.before}\` (the policies are no longer capped)`];
  return [`- replaced: \`${boundary.before}\` → \`${boundary.after}\``];
}
