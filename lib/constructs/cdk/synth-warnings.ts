import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PRIMARY_WORK_GROUP, SynthWarning, synthWarningId } from '../../model/warnings';

/** Raise `warning` on `scope`, unless it is acknowledged there or above. */
export function addSynthWarning(scope: IConstruct, warning: SynthWarning, message: string): void {
  Annotations.of(scope).addWarningV2(synthWarningId(warning), message);
}

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
