import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The warnings synth gives, by name, with what each means. Each is raised with the id
 * `qualytics-athena-iam:<name>`, which CDK prints at the end of the message (`[ack: <id>]`) and which
 * `Annotations.of(scope).acknowledgeWarning(id, reason)` takes on the construct or any scope above it. One list,
 * read by the constructs that raise the warnings and by the test that holds the README's table of warnings to it.
 */
export const SYNTH_WARNINGS = {
  crossAccountWithoutExternalId: 'the trusted base role is in another account and no External ID is set',
  noPodIdentityAssociation: 'EKS Pod Identity without an association created in the stack',
  primaryWorkGroup: 'the workgroups granted include primary, the default workgroup, which other principals often share',
  maxSessionDurationBeyondRoleChaining: 'the target role allows sessions longer than the one hour role chaining can reach',
} as const;

/** The name of a synth warning. */
export type SynthWarning = keyof typeof SYNTH_WARNINGS;

/** The id that acknowledges `warning`. */
export function synthWarningId(warning: SynthWarning): string {
  return `qualytics-athena-iam:${warning}`;
}

/** Raise `warning` on `scope`, unless it is acknowledged there or above. */
export function addSynthWarning(scope: IConstruct, warning: SynthWarning, message: string): void {
  Annotations.of(scope).addWarningV2(synthWarningId(warning), message);
}

/** Athena's default workgroup, the JDBC driver's default too. */
export const PRIMARY_WORK_GROUP = 'primary';

/**
 * Warns on `scope` when the workgroups granted include `primary`: athena:GetQueryResults is authorized on the
 * workgroup, not on who ran the query, so whoever holds the permissions can read the results of any query run in
 * a shared workgroup given its query ID. `workGroupNames` undefined means the default, `['primary']`.
 */
export function warnOfPrimaryWorkGroup(scope: IConstruct, workGroupNames: string[] | undefined): void {
  const names = workGroupNames ?? [PRIMARY_WORK_GROUP];
  if (!names.some((name) => !Token.isUnresolved(name) && name === PRIMARY_WORK_GROUP)) return;
  addSynthWarning(scope, 'primaryWorkGroup',
    `${workGroupNames === undefined ? 'workGroupNames is not set and defaults to ["primary"]' : 'workGroupNames includes "primary"'}, Athena's default ` +
    'workgroup, which other users and roles of the account often share. Athena authorizes athena:GetQueryResults on the workgroup, not on who ' +
    'ran the query, so these permissions can read the results of any query run in "primary" given its query ID ' +
    '(https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html, https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html). ' +
    'Create a workgroup for the connection (for example "qualytics", with its own query results location) and give it in workGroupNames.');
}
