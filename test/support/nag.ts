import { AwsSolutionsChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** The cdk-nag packs `bin/app.ts` registers, for `test.each`. */
export const NAG_PACKS: Array<[string, () => NagPack]> = [
  ['AwsSolutions', () => new AwsSolutionsChecks()],
  ['NIST 800-53 rev 5', () => new NIST80053R5Checks()],
];

/** The findings of `pack` in `scope` that nobody acknowledged, as `rule: logical ids` lines. */
export function unacknowledgedFindings(pack: NagPack, scope: IConstruct): string[] {
  return pack.validateScope(scope).violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`);
}
