import { App, BootstraplessSynthesizer, CfnCondition, CfnOutput, CfnParameter, CfnRule, Fn, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { listParameter } from './list-parameter';
import { AthenaTargetRole } from '../constructs/athena-target-role';
import { deployTimeFolder } from '../constructs/cdk/deploy-time-folder';
import { DeployTimeItem } from '../constructs/cdk/deploy-time-tokens';
import { AccessMode } from '../model/access-mode';

/**
 * The upper bounds of the customer template's list parameters. They keep the statements every deployment has
 * in one managed policy of at most 6,144 characters even when every list is full and every value as long as its
 * pattern allows (checked at synth). What a parameter makes optional (S3 results, data locations, KMS keys, the
 * managed-results key, Lake Formation, the upload guardrail of managed results) is a managed policy of its own
 * under that parameter's condition, so no policy is ever empty: at most six are attached at once.
 */
export const TEMPLATE_LIMITS = {
  workGroups: 3,
  glueDatabases: 5,
  dataLocations: 5,
  kmsKeys: 3,
  /**
   * Longest workgroup and Glue database name the template takes. Narrower than the constructs (workgroups 128,
   * FORMAT_RULES.databaseName 255), so that the full lists fit one managed policy.
   */
  nameLength: 64,
  /** Longest data location `<bucket>/<prefix>` the template takes: a 63-character bucket, a slash and 64 for the prefix. */
  locationLength: 128,
  /** Longest query-results prefix the template takes. */
  resultsPrefixLength: 128,
};

/*
 * CloudFormation checks a parameter value only against its own AllowedPattern, MinLength and MaxLength
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html), so every
 * pattern is bounded part by part: a list item, an ARN's Region or path, a prefix can never grow beyond the
 * length the size checks count it at, whatever the total MaxLength. A test grows every parameter to the
 * longest value its pattern accepts and measures every policy document.
 */

/** The template's own bucket pattern: unlike FORMAT_RULES.bucketName, it lets IP-shaped names and `..` through (S3 refuses them). */
const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
/**
 * Characters of an S3 prefix: those S3 lists as safe or usable in object keys, without `*` (an IAM wildcard),
 * `,` (the list separator) and the characters S3 says to avoid (among them `"` and `\`, which JSON doubles).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 * Narrower than the constructs' S3_PREFIX_PATTERN (printable Latin-1 but `*`, `?` and `${`, up to 1,000 characters).
 */
const KEY_CHAR = "[\\w!.'()&$@=;:+-]";
/** A folder path of 1 to `length` characters: no leading or trailing slash. */
function folderPath(length: number): string {
  return `${KEY_CHAR}([\\w!.'()&$@=;:+/-]{0,${length - 2}}${KEY_CHAR})?`;
}
/**
 * A Region such as ap-southeast-7 or us-gov-west-1: two letters, one or two words of at most 9 letters, a digit.
 * Bounded, unlike the Region of FORMAT_RULES.kmsKeyArn (`[a-z]{2}(-[a-z]+)+-\d`), so that MaxLength holds.
 */
const REGION = '[a-z]{2}(-[a-z]{1,9}){1,2}-\\d';
const LONGEST_REGION = 2 + 2 * 10 + 2;
const KMS_KEY_ARN = `arn:aws(-cn|-us-gov)?:kms:${REGION}:\\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})`;
const LONGEST_KMS_KEY_ARN = 'arn:aws-us-gov:kms:'.length + LONGEST_REGION + ':123456789012:key/mrk-'.length + 32;
/**
 * Printable ASCII as IAM paths take it, but `*` and `?` (a role ARN names one role, never a pattern), quotes
 * and backslashes (JSON doubles them, and the trust policy names the base role twice: with them a 64-character path
 * would not fit IAM's 2,048 characters). FORMAT_RULES.roleArn takes any path of printable ASCII but `*` and `?`.
 */
const PATH_CHAR = '[\\x21\\x23-\\x29\\x2B-\\x3E\\x40-\\x5B\\x5D-\\x7E]';

/**
 * The customer's target role as a self-contained CloudFormation template: no CDK bootstrap, no assets, no
 * CDK metadata, deployable from the console or with `aws cloudformation deploy`. Every choice is a
 * parameter; list parameters are comma-separated and bounded by {@link TEMPLATE_LIMITS}. The outputs are
 * what the connection form needs.
 *
 * `npm run templates` writes it to `templates/athena-target-role.json`.
 */
export class AthenaTargetRoleTemplate extends Stack {
  /**
   * The template as JSON text, as `npm run templates` writes it: sections, parameters, conditions, resources
   * and their properties one per line, deeper values on one line each, so it stays well below the
   * 51,200 bytes CloudFormation accepts inline (`aws cloudformation deploy` without an S3 bucket, StackSets).
   */
  public static render(): string {
    if (AthenaTargetRoleTemplate.rendered === undefined) {
      const app = new App();
      const stack = new AthenaTargetRoleTemplate(app, 'QualyticsAthenaTargetRole');
      AthenaTargetRoleTemplate.rendered = `${formatJson(app.synth().getStackArtifact(stack.artifactId).template, 3)}\n`;
    }
    return AthenaTargetRoleTemplate.rendered;
  }

  /** The template renders the same every time; synthesizing it once per process is enough. */
  private static rendered?: string;

  /** The target role the template creates. */
  public readonly targetRole: AthenaTargetRole;

  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'Qualytics: IAM role the Qualytics dataplane assumes to query Amazon Athena in this account',
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
    });
    const limits = TEMPLATE_LIMITS;

    const baseRoleArn = new CfnParameter(this, 'BaseRoleArn', {
      description: 'ARN of the Qualytics dataplane base role allowed to assume this role, as Qualytics gave it to you (managed), or your own base role (self-hosted).',
      allowedPattern: `^arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/(${PATH_CHAR}{1,62}/)?[\\w+=,.@-]{1,64}$`,
      constraintDescription: 'an IAM role ARN such as arn:aws:iam::315179787488:role/acme-dataplane-role (not an assumed-role session ARN; a path of at most 64 characters, without * ? " or \\)',
      // Longest partition, a 64-character path (63 after "role/") and a 64-character name: the trust policy
      // names the base role twice (AssumeRole, and TagSession for EKS Pod Identity's session tags) and stays
      // within IAM's 2,048 characters with the longest External ID.
      maxLength: 'arn:aws-us-gov:iam::123456789012:role/'.length + 63 + 64,
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      description: 'The External ID Qualytics generated for your organization; AssumeRole without it is refused.',
      allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
      constraintDescription: '2 to 1,224 characters of letters, digits and _+=,.@:/-',
      minLength: 2,
      maxLength: 1224,
    });
    const roleName = new CfnParameter(this, 'RoleName', {
      description: 'Name of the role to create; its ARN goes into the connection form\'s Role ARN field.',
      default: 'qualytics-athena-access',
      allowedPattern: '^[\\w+=,.@-]{1,64}$',
      constraintDescription: '1 to 64 characters of letters, digits and _+=,.@-',
      maxLength: 64,
    });
    const workGroups = listParameter(this, 'WorkGroups', {
      description: 'Athena workgroups queries may run in; the first is the connection\'s.',
      default: 'primary',
      itemPattern: `[a-zA-Z0-9._-]{1,${limits.nameLength}}`,
      itemDescription: `workgroup names of 1 to ${limits.nameLength} letters, digits and ._-`,
      maxItemLength: limits.nameLength,
      maxItems: limits.workGroups,
    });
    const queryResults = new CfnParameter(this, 'QueryResults', {
      description: 'Where the workgroup keeps query results: S3 (in ResultsBucket, under ResultsPrefix) or Managed (Athena\'s managed query results: '
        + 'Athena keeps them for 24 hours, no bucket; the connection then has no output location).',
      default: 'S3',
      allowedValues: ['S3', 'Managed'],
    });
    const resultsBucket = new CfnParameter(this, 'ResultsBucket', {
      description: 'With QueryResults S3: the S3 bucket Athena writes query results to (same Region as the workgroup). Empty with QueryResults Managed.',
      default: '',
      allowedPattern: `^(${BUCKET})?$`,
      constraintDescription: 'empty, or an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens',
      maxLength: 63,
    });
    const resultsPrefix = new CfnParameter(this, 'ResultsPrefix', {
      // CloudFormation checks a parameter only against its own pattern, so the template cannot refuse a results
      // folder that overlaps a data location as the constructs do; the description says so.
      description: 'With QueryResults S3: the folder in the results bucket for query results (the role reads and writes only there, and lists the names of the objects in the bucket), without leading slash (a trailing slash is dropped). It must neither contain nor lie inside a DataLocations folder: results landing among table files break the tables. Not used with QueryResults Managed.',
      default: 'qualytics-athena-results',
      // A trailing slash is accepted and dropped (as the constructs do), so it is not counted in the prefix's length.
      allowedPattern: `^${folderPath(limits.resultsPrefixLength)}/?$`,
      constraintDescription: `a folder path such as athena/results of at most ${limits.resultsPrefixLength} letters, digits, slashes and !_.'()&$@=;:+-, without leading slash (a trailing slash is dropped)`,
      maxLength: limits.resultsPrefixLength + 1,
    });
    const dataLocations = listParameter(this, 'DataLocations', {
      description: 'S3 locations of the table data queries read, as bucket or bucket/prefix. Leave empty when Lake Formation vends data access.',
      default: '',
      optional: true,
      locations: true,
      itemPattern: `${BUCKET}(/${folderPath(limits.locationLength - 64)})?`,
      itemDescription: `locations bucket or bucket/prefix (a bucket name, and a prefix of at most ${limits.locationLength - 64} letters, digits, slashes and !_.'()&$@=;:+-)`,
      maxItemLength: limits.locationLength,
      maxItems: limits.dataLocations,
    });
    const glueDatabases = listParameter(this, 'GlueDatabases', {
      description: 'Glue databases whose tables can be read (lower case, as Glue stores them), or * for every database.',
      default: '*',
      itemPattern: `(\\*|[a-z0-9_-]{1,${limits.nameLength}})`,
      itemDescription: `database names of 1 to ${limits.nameLength} lower-case letters, digits, _ and -, or *`,
      maxItemLength: limits.nameLength,
      maxItems: limits.glueDatabases,
    });
    const kmsKeys = listParameter(this, 'KmsKeyArns', {
      description: 'ARNs of the KMS keys that encrypt table data, the Glue catalog or query results (key ARNs, not aliases). Each key policy must allow the role too.',
      default: '',
      optional: true,
      itemPattern: KMS_KEY_ARN,
      itemDescription: 'KMS key ARNs',
      maxItemLength: LONGEST_KMS_KEY_ARN,
      maxItems: limits.kmsKeys,
    });
    const lakeFormation = new CfnParameter(this, 'LakeFormation', {
      description: 'Whether Lake Formation governs the tables (adds lakeformation:GetDataAccess; grant the role in Lake Formation separately).',
      default: 'false',
      allowedValues: ['true', 'false'],
    });
    const useLakeFormation = new CfnCondition(this, 'UseLakeFormation', {
      expression: Fn.conditionEquals(lakeFormation.valueAsString, 'true'),
    });
    const managedResultsKey = new CfnParameter(this, 'ManagedQueryResultsKmsKeyArn', {
      description: 'With QueryResults Managed: the ARN of the customer managed KMS key the workgroup encrypts query results with (a key ARN, '
        + 'not an alias); empty for an AWS owned key. The role may use it only through Athena; its key policy must allow the role and '
        + 'encryption.athena.amazonaws.com.',
      default: '',
      allowedPattern: `^(${KMS_KEY_ARN})?$`,
      constraintDescription: 'empty, or a KMS key ARN',
      maxLength: LONGEST_KMS_KEY_ARN,
    });
    const queryResultsRules = queryResultsModeRules(this, queryResults, resultsBucket, managedResultsKey);

    this.targetRole = new AthenaTargetRole(this, 'TargetRole', {
      trustedRoleArn: baseRoleArn.valueAsString,
      externalId: externalId.valueAsString,
      roleName: roleName.valueAsString,
      workGroupNames: workGroups,
      resultsBucketName: resultsBucket.valueAsString,
      // A trailing slash is dropped, as the constructs drop it.
      resultsPrefix: new DeployTimeItem(deployTimeFolder(resultsPrefix.valueAsString), limits.resultsPrefixLength).toString(),
      managedQueryResults: true,
      managedQueryResultsCondition: queryResultsRules.managed,
      managedQueryResultsKmsKeyArn: new DeployTimeItem(managedResultsKey.valueAsString, LONGEST_KMS_KEY_ARN, queryResultsRules.hasKey).toString(),
      dataLocations: dataLocations.map((location) => ({ bucketName: location })),
      glueDatabaseNames: glueDatabases,
      kmsKeyArns: kmsKeys,
      accessMode: AccessMode.IAM_AND_LAKE_FORMATION,
      lakeFormationCondition: useLakeFormation,
      // Room for two parts of the statements every deployment has (one is used) and the six conditional policies.
      maxManagedPolicies: 8,
    });
    this.targetRole.addConnectionOutputs();
    // The output location exists only where results go to S3.
    const outputLocation = this.targetRole.connectionFormValues.outputLocation;
    this.targetRole.node.children.filter((c): c is CfnOutput => c instanceof CfnOutput && c.value === outputLocation)
      .forEach((output) => { output.condition = queryResultsRules.s3; });

    this.templateOptions.metadata = {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Who may assume the role' }, Parameters: ['BaseRoleArn', 'ExternalId', 'RoleName'] },
          { Label: { default: 'Athena' }, Parameters: ['WorkGroups', 'QueryResults', 'ResultsBucket', 'ResultsPrefix', 'ManagedQueryResultsKmsKeyArn'] },
          { Label: { default: 'Data' }, Parameters: ['GlueDatabases', 'DataLocations', 'KmsKeyArns', 'LakeFormation'] },
        ],
      },
    };
  }
}

/**
 * The conditions of the query results mode, and the template rules that refuse a mode with the wrong
 * parameters: CloudFormation checks each parameter only on its own, but a rule's assertions can compare them
 * before anything is created (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html).
 * S3 needs a bucket and takes no managed-results key; Managed takes no bucket.
 */
function queryResultsModeRules(stack: Stack, mode: CfnParameter, bucket: CfnParameter, key: CfnParameter) {
  const isS3 = Fn.conditionEquals(mode.valueAsString, 'S3');
  const isManaged = Fn.conditionEquals(mode.valueAsString, 'Managed');
  const noBucket = Fn.conditionEquals(bucket.valueAsString, '');
  const noKey = Fn.conditionEquals(key.valueAsString, '');
  new CfnRule(stack, 'S3QueryResultsNeedABucket', {
    ruleCondition: isS3,
    assertions: [
      { assert: Fn.conditionNot(noBucket), assertDescription: 'With QueryResults S3, give ResultsBucket: the bucket Athena writes query results to.' },
      { assert: noKey, assertDescription: 'ManagedQueryResultsKmsKeyArn applies only with QueryResults Managed; for SSE-KMS results in ResultsBucket, list the key in KmsKeyArns.' },
    ],
  });
  new CfnRule(stack, 'ManagedQueryResultsTakeNoBucket', {
    ruleCondition: isManaged,
    assertions: [{ assert: noBucket, assertDescription: 'With QueryResults Managed, Athena keeps the query results itself: leave ResultsBucket empty.' }],
  });
  return {
    s3: new CfnCondition(stack, 'UseS3QueryResults', { expression: isS3 }),
    // Under the rules, results are managed exactly where ResultsBucket is empty. Saying both makes the S3 results
    // statements, which build the bucket's ARNs, exist only where ResultsBucket is set, also for readers that
    // ignore Rules and resolve parameters to their defaults (cfn-lint: an empty default would make an invalid ARN).
    managed: new CfnCondition(stack, 'UseManagedQueryResults', { expression: Fn.conditionOr(isManaged, noBucket) }),
    hasKey: new CfnCondition(stack, 'HasManagedQueryResultsKmsKeyArn', { expression: Fn.conditionNot(noKey) }),
  };
}

/** JSON indented by two spaces down to `depth` levels, each deeper value on one line. */
function formatJson(value: unknown, depth: number, indent: string = ''): string {
  if (depth === 0 || value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((v) => `${inner}${formatJson(v, depth - 1, inner)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, depth - 1, inner)}`);
  if (entries.length === 0) return JSON.stringify(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${entries.join(',\n')}\n${indent}${close}`;
}
