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

/** What the warning of a Pod Identity base role without an association says, in the words of the face that raises it. */
export interface MissingAssociation {
  /** Why none is created: `createAssociation is false`, `clusterName not given`. */
  readonly why: string;
  /** The service account the association would name. */
  readonly serviceAccount: string;
  /** How to have it created here: `Pass clusterName and namespace to DataplaneIdentity.eksPodIdentity()`. */
  readonly createHere: string;
  /** The cluster, or a placeholder. */
  readonly clusterName: string;
  /** The namespace, or a placeholder. */
  readonly namespace: string;
  /** The base role's ARN, or a placeholder. */
  readonly roleArn: string;
  /** Whether the association keeps session tags (without, the command disables them too). */
  readonly sessionTags: boolean;
}

/**
 * The `noPodIdentityAssociation` warning: the pods get no credentials until an association exists, with the
 * command that creates one (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html).
 */
export function missingAssociationMessage(m: MissingAssociation): string {
  return `No EKS Pod Identity association is created (${m.why}): the dataplane's pods (service account ${m.serviceAccount}) `
    + `get no credentials for the base role until one exists. ${m.createHere} to create it here, or create it yourself: `
    + `aws eks create-pod-identity-association --cluster-name ${m.clusterName} --namespace ${m.namespace} `
    + `--service-account ${m.serviceAccount} --role-arn ${m.roleArn}${m.sessionTags ? '' : ' --disable-session-tags'}`;
}
