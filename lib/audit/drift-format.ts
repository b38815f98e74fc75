import { describeStatement, DriftFinding, DriftReport } from './drift';
import { canonicalText } from './normalize';

/** The drift report for people: one block per finding, then what drift could not see. */
export function formatDrift(report: DriftReport): string[] {
  const who = `${report.principal.kind} ${report.principal.arn ?? report.principal.name ?? ''}`;
  const lines = [report.drifted
    ? `DRIFTED  ${who}: ${report.findings.length} change(s) since the approved ${report.principal.expectedFrom ?? 'template'}`
    : `MATCHES  ${who} allows what the approved ${report.principal.expectedFrom ?? 'template'} allows`];
  for (const finding of report.findings) lines.push('', ...formatFinding(finding));
  lines.push('', report.lakeFormationCompared ? 'Lake Formation grants compared.' : 'Lake Formation grants not compared (--skip-lake-formation).');
  if (report.notVisible.length > 0) {
    lines.push('Not visible to drift (check them apart):', ...report.notVisible.map((n) => `  - ${n}`));
  }
  return lines;
}

function formatFinding(finding: DriftFinding): string[] {
  switch (finding.kind) {
    case 'access-missing':
      return [
        `MISSING  ${finding.actions.join(', ')}`,
        `         on ${finding.resources.join(', ')}${finding.condition ? ` when ${canonicalText(finding.condition)}` : ''}`,
        `         ${({ 'not-allowed': 'no deployed policy allows it', 'denied': 'a deny added since approval refuses it', 'boundary': 'the permissions boundary does not allow it' })[finding.cause]}; approved in ${finding.source}`,
        `         the dataplane: ${finding.impact}`,
      ];
    case 'access-added':
      if (finding.guardrailRemoved) {
        return [`REMOVED  guardrail ${describeStatement(finding.statement)}`, `         approved in ${finding.source}; the actions it denied are now up to the allows`];
      }
      return [
        `ADDED    ${describeStatement(finding.statement)}`,
        `         in ${finding.source}; beyond the approved: ${finding.beyond.join('; ')}`,
        finding.stillDenied.length > 0
          ? `         the guardrails still deny ${summarizeActions(finding.stillDenied)}; everything else it allows is new`
          : '         no approved guardrail denies any of it',
      ];
    case 'trust-changed':
      return [
        'TRUST    the trust policy changed',
        ...finding.details.map((d) => `         ${d}`),
        ...finding.removed.map((s) => `         - ${describeStatement(s)} ${principalText(s)}`),
        ...finding.added.map((s) => `         + ${describeStatement(s)} ${principalText(s)}`),
      ];
    case 'boundary-changed':
      return [
        `BOUNDARY the permissions boundary changed: approved ${finding.expected ?? '(none)'}, deployed ${finding.deployed ?? '(none)'}`,
        ...finding.removed.map((s) => `         - ${describeStatement(s)}`),
        ...finding.added.map((s) => `         + ${describeStatement(s)}`),
      ];
    case 'policy-detached':
      return [`DETACHED ${finding.policyArn}`, '         the approved principal attaches it; the deployed one does not: what it allowed is missing'];
    case 'lake-formation-added':
    case 'lake-formation-missing':
      return [
        `${finding.kind === 'lake-formation-added' ? 'LF-ADDED' : 'LF-MISSING'} ${[...finding.permissions, ...finding.permissionsWithGrantOption.map((p) => `${p} (grantable)`)].join(', ')}`
          + ` on ${canonicalText(finding.resource)}`,
      ];
  }
}

function principalText(statement: { principal?: Record<string, string[]> }): string {
  return statement.principal === undefined ? '' : `for ${Object.entries(statement.principal).map(([t, ids]) => `${t} ${ids.join(', ')}`).join('; ')}`;
}

/** Action patterns by service: `s3 (28 patterns), glue (35 patterns)`. */
function summarizeActions(actions: string[]): string {
  const byService = new Map<string, number>();
  actions.forEach((a) => byService.set(a.split(':')[0], (byService.get(a.split(':')[0]) ?? 0) + 1));
  return `the writes of ${[...byService].map(([service, n]) => `${service} (${n} pattern${n === 1 ? '' : 's'})`).join(', ')}`;
}
