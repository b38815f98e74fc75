import { roleArnPattern } from './arns';
import { StatementSpec } from './statement-spec';
import {
  invalid, validateAccountId, validateExternalId, validateIamPath, validateList, validateMaxSessionDuration, validateOrganizationId,
  validateRoleArn, validateRoleName, validateRoleNamePrefix, validateSessionNamePrefix, validateUserName,
} from './validation';

/*
 * The props of the constructs that make IAM identities, checked once, up front, before anything is created: each
 * function takes the props as the model reads them (`AthenaTargetRoleProps`, `AthenaAccessKeyUserProps`,
 * `DataplaneBaseRoleProps` document them) and reports the first problem in the order the constructs always have.
 * The query policy's props are checked by `checkQueryPolicyProps`.
 */

/** A duration as the model reads it: whole seconds, and how the user wrote it (for the error). */
export interface DurationInput {
  readonly seconds: number;
  readonly shown: string;
}

/** The target role's own props (`AthenaTargetRoleProps` less the query policy's). */
export interface TargetRoleInput {
  readonly trustedRoleArn: string;
  readonly externalId?: string;
  readonly sessionNamePrefix?: string;
  readonly trustedOrganizationId?: string;
  readonly roleName?: string;
  readonly path?: string;
  /** Absent too when known only at deploy time. */
  readonly maxSessionDuration?: DurationInput;
}

/** Checks the target role's own props. */
export function checkTargetRoleProps(props: TargetRoleInput): void {
  validateRoleArn('trustedRoleArn', props.trustedRoleArn);
  if (props.externalId !== undefined) validateExternalId('externalId', props.externalId);
  if (props.sessionNamePrefix !== undefined) validateSessionNamePrefix('sessionNamePrefix', props.sessionNamePrefix);
  if (props.trustedOrganizationId !== undefined) validateOrganizationId('trustedOrganizationId', props.trustedOrganizationId);
  if (props.roleName !== undefined) validateRoleName('roleName', props.roleName);
  if (props.path !== undefined) validateIamPath('path', props.path);
  const duration = props.maxSessionDuration;
  if (duration !== undefined) validateMaxSessionDuration('maxSessionDuration', duration.seconds, duration.shown);
}

/** The access key user's own props (`AthenaAccessKeyUserProps` less the query policy's). */
export interface AccessKeyUserInput {
  readonly accessKeyVersions?: number[];
  readonly userName?: string;
  readonly path?: string;
}

/** The access key versions accepted: IAM allows two access keys per user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const ACCESS_KEY_VERSIONS_ACCEPTED = 'Give one or two distinct whole numbers from 1 (IAM allows two access keys per user), e.g. [1], or [1, 2] while rotating.';

/** Checks the access key user's own props; gives the access key versions with their default. */
export function checkAccessKeyUserProps(props: AccessKeyUserInput): number[] {
  const versions = props.accessKeyVersions ?? [1];
  const valid = versions.length >= 1 && versions.length <= 2 && versions.every((v) => Number.isInteger(v) && v >= 1) &&
    new Set(versions).size === versions.length;
  if (!valid) {
    invalid('accessKeyVersions', versions, ACCESS_KEY_VERSIONS_ACCEPTED);
  }
  if (props.userName !== undefined) validateUserName('userName', props.userName);
  if (props.path !== undefined) validateIamPath('path', props.path);
  return versions;
}

/** The base role's props that the model reads. */
export interface BaseRoleInput {
  readonly targetRoleArns?: string[];
  readonly targetAccountIds?: string[];
  readonly targetRolePath?: string;
  readonly targetRoleNamePrefix?: string;
  readonly roleName?: string;
  readonly path?: string;
}

/** What target accounts need, in the names of the caller's inputs (the construct's props or the module's variables). */
export function unnarrowedTargetAccounts(names: { accounts: string; prefix: string; path: string }): string {
  return `With ${names.accounts}, give ${names.prefix} or a ${names.path} other than "/", so that the base role cannot assume every role in those accounts.`;
}

/** Checks the base role's props; gives the target role ARNs (and patterns) it may assume, in `partition`. */
export function checkBaseRoleProps(partition: string, props: BaseRoleInput): string[] {
  const roleArns = props.targetRoleArns ?? [];
  validateList('targetRoleArns', roleArns, validateRoleArn, { min: 0 });
  const accounts = props.targetAccountIds ?? [];
  validateList('targetAccountIds', accounts, validateAccountId, { min: 0 });
  const path = props.targetRolePath ?? '/';
  validateIamPath('targetRolePath', path);
  const prefix = props.targetRoleNamePrefix ?? '';
  if (prefix) validateRoleNamePrefix('targetRoleNamePrefix', prefix);
  if (accounts.length > 0 && path === '/' && prefix === '') {
    invalid('targetAccountIds', accounts, unnarrowedTargetAccounts({ accounts: 'targetAccountIds', prefix: 'targetRoleNamePrefix', path: 'targetRolePath' }));
  }
  if (props.roleName !== undefined) validateRoleName('roleName', props.roleName);
  if (props.path !== undefined) validateIamPath('path', props.path);
  return [...roleArns, ...accounts.map((account) => roleArnPattern(partition, account, path, `${prefix}*`))];
}

/** The Kubernetes service account of the self-hosted dataplane's Spark pods. */
export const DEFAULT_SERVICE_ACCOUNT = 'qualytics-spark';

/**
 * The base role's one statement: `sts:AssumeRole` on exactly `targets`, with `sts:TagSession` when its sessions
 * carry transitive session tags (EKS Pod Identity), since STS then authorizes `sts:TagSession` along with
 * `sts:AssumeRole`, and across accounts the caller's policy must allow it too, on the same roles.
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html
 */
export function baseRoleAssumeStatement(targets: string[], tagged: boolean): StatementSpec {
  return {
    sid: 'AssumeAthenaTargetRoles',
    effect: 'Allow',
    actions: tagged ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'],
    resources: targets,
    purpose: tagged
      ? 'Obtain temporary credentials of the customers\' Athena target roles, carrying the EKS Pod Identity session tags (transitive) into the new session.'
      : 'Obtain temporary credentials of the customers\' Athena target roles.',
    wildcardReason: 'Only roles of the listed target accounts whose path and name prefix mark them as Athena target roles; each target role\'s trust policy must also name this role.',
  };
}
