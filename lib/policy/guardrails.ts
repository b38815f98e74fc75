import * as iam from 'aws-cdk-lib/aws-iam';
import { ArnContext, objectsArn } from './arns';
import { StatementSpec } from './statement-spec';

/**
 * Glue Data Catalog writes: creating, changing, renaming, tagging or deleting catalogs, databases, tables,
 * partitions, functions, connections, column statistics and resource policies, and importing catalogs.
 */
export const GLUE_WRITE_ACTIONS = [
  'glue:Create*',
  'glue:Update*',
  'glue:Delete*',
  'glue:BatchCreate*',
  'glue:BatchUpdate*',
  'glue:BatchDelete*',
  'glue:Put*',
  'glue:Import*',
  'glue:RenameTable',
  'glue:StartColumnStatisticsTaskRun*',
  'glue:StopColumnStatisticsTaskRun*',
  'glue:TagResource',
  'glue:UntagResource',
];

/** Every S3 write, delete, permission and tagging action, by the verbs their names start with. */
export const S3_WRITE_ACTIONS = [
  's3:Put*',
  's3:Delete*',
  's3:Create*',
  's3:Update*',
  's3:Abort*',
  's3:Initiate*',
  's3:Pause*',
  's3:Replicate*',
  's3:Restore*',
  's3:Submit*',
  's3:Bypass*',
  's3:Associate*',
  's3:Dissociate*',
  's3:ObjectOwnerOverrideToBucketOwner',
  's3:TagResource',
  's3:UntagResource',
];

/** Administration of Athena workgroups, data catalogs and capacity, and tagging of Athena resources. */
export const ATHENA_ADMIN_ACTIONS = [
  'athena:CreateWorkGroup',
  'athena:UpdateWorkGroup',
  'athena:DeleteWorkGroup',
  'athena:CreateDataCatalog',
  'athena:UpdateDataCatalog',
  'athena:DeleteDataCatalog',
  'athena:CreateCapacityReservation',
  'athena:UpdateCapacityReservation',
  'athena:CancelCapacityReservation',
  'athena:DeleteCapacityReservation',
  'athena:PutCapacityAssignmentConfiguration',
  'athena:TagResource',
  'athena:UntagResource',
];

/** Where the target role may write: the query results location. */
export interface GuardrailScope {
  readonly resultsBucketName: string;
  /** Folder without trailing slash; absent for the whole bucket. */
  readonly resultsPrefix?: string;
}

/**
 * Explicit denies for what an Athena target role must never do, whatever else is attached to it later: an
 * explicit Deny wins over any Allow. Glue catalog writes and Athena administration are denied everywhere;
 * S3 writes and deletes everywhere but under the query results prefix (`NotResource`), where Athena writes
 * results (deletes are not granted there either).
 */
export function guardrailStatements(scope: GuardrailScope, env: ArnContext): StatementSpec[] {
  const deny = iam.Effect.DENY;
  return [
    {
      sid: 'GuardrailDenyGlueWrites',
      effect: deny,
      actions: GLUE_WRITE_ACTIONS,
      resources: ['*'],
      purpose: 'Guardrail: never create, change or delete anything in the Glue Data Catalog, even if a broader policy is attached later.',
    },
    {
      sid: 'GuardrailDenyS3WritesOutsideResults',
      effect: deny,
      actions: S3_WRITE_ACTIONS,
      resources: [],
      notResources: [objectsArn(env, scope.resultsBucketName, scope.resultsPrefix)],
      purpose: 'Guardrail: never write, delete, tag or change permissions of S3 objects or buckets outside the query results prefix, even if a broader policy is attached later.',
    },
    {
      sid: 'GuardrailDenyAthenaAdministration',
      effect: deny,
      actions: ATHENA_ADMIN_ACTIONS,
      resources: ['*'],
      purpose: 'Guardrail: never create, change, tag or delete Athena workgroups, data catalogs or capacity reservations, even if a broader policy is attached later.',
    },
  ];
}
