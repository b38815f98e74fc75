/**
 * The warnings synth gives, by name, with what each means. Each is raised with the id
 * `qualytics-athena-iam:<name>`, which CDK prints at the end of the message (`[ack: <id>]`) and which
 * `Annotations.of(scope).acknowledgeWarning(id, reason)` takes on the construct or any scope above it. One list,
 * read by the constructs that raise the warnings (`addSynthWarning`) and by the test that holds the README's table of warnings to it.
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

/** Athena's default workgroup, the JDBC driver's default too. */
export const PRIMARY_WORK_GROUP = 'primary';
