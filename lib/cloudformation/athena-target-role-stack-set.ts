import { CfnStackSet, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AthenaTargetRoleTemplate } from './athena-target-role-template';
import { warnOfPrimaryWorkGroup } from '../constructs/cdk/synth-warnings';
import { DataplaneBaseRole } from '../constructs/dataplane-base-role';
import { AccessMode } from '../model/access-mode';
import { DEFAULT_RESULTS_PREFIX, validateResultsOutsideData } from '../model/s3-locations';
import {
  invalid, normalizePrefix, resolveAccessMode, validateAccountId, validateExternalId, validateKmsKeyArn, validateList,
  validateQueryResultsChoice, validateRoleArn, validateRoleName,
} from '../model/validation';

/** What every account's target role gets: the customer template's parameters. */
export interface AthenaTargetRoleStackSetProps {
  /** The StackSet's name. */
  readonly stackSetName: string;
  /**
   * Organizational units to deploy to (`ou-...`), or the organization's root (`r-...`) for every account.
   * Accounts that join them later get the role automatically.
   */
  readonly organizationalUnitIds: string[];
  /**
   * Deploy only to these accounts of the organizational units, and give the base role (`grantAssumeTo`)
   * permission for exactly these. New accounts are not deployed to until they are added here.
   *
   * @default - every account of the organizational units, now and later
   */
  readonly accountIds?: string[];
  /**
   * The Region the stack instances are created in. IAM roles are global: one Region only, or the role names
   * would collide.
   *
   * @default - the Region of the stack holding the StackSet
   */
  readonly region?: string;
  /** Manage the StackSet from a delegated administrator account instead of the management account. @default false */
  readonly delegatedAdmin?: boolean;
  /** The dataplane base role the target roles trust (`BaseRoleArn`). */
  readonly baseRoleArn: string;
  /** The External ID the base role passes (`ExternalId`). */
  readonly externalId: string;
  /** The target role's name in every account (`RoleName`). @default 'qualytics-athena-access' */
  readonly roleName?: string;
  /** Athena workgroups (`WorkGroups`); synth warns when they include `primary` (`primaryWorkGroup`). @default ['primary'] */
  readonly workGroupNames?: string[];
  /**
   * The query-results bucket (`ResultsBucket`). Bucket names are global: give each account its own with
   * per-account parameter overrides (see docs/deployment.md) when the accounts do not share one.
   *
   * @default - none: give it, or managedQueryResults: true
   */
  readonly resultsBucketName?: string;
  /** The query-results folder (`ResultsPrefix`). @default 'qualytics-athena-results' */
  readonly resultsPrefix?: string;
  /**
   * Whether the workgroups use Athena's managed query results (`QueryResults` `Managed`): no results bucket.
   *
   * @default false
   */
  readonly managedQueryResults?: boolean;
  /**
   * With managedQueryResults: the customer managed key that encrypts the results (`ManagedQueryResultsKmsKeyArn`).
   *
   * @default - an AWS owned key
   */
  readonly managedQueryResultsKmsKeyArn?: string;
  /** Glue databases (`GlueDatabases`). @default ['*'] - every database */
  readonly glueDatabaseNames?: string[];
  /** Data locations `<bucket>[/<prefix>]` (`DataLocations`). @default - none */
  readonly dataLocations?: string[];
  /** KMS key ARNs (`KmsKeyArns`). @default - none */
  readonly kmsKeyArns?: string[];
  /**
   * Who decides what may be read (`LakeFormation`: `true` for IAM_AND_LAKE_FORMATION). The customer template
   * offers IAM and IAM_AND_LAKE_FORMATION; LAKE_FORMATION is refused (deploy an AthenaTargetRole for it).
   *
   * @default AccessMode.IAM
   */
  readonly accessMode?: AccessMode;
  /**
   * Whether Lake Formation governs the tables (`LakeFormation`): the same as `accessMode: AccessMode.IAM_AND_LAKE_FORMATION`.
   *
   * @default - as accessMode says
   * @deprecated use accessMode: AccessMode.IAM_AND_LAKE_FORMATION
   */
  readonly lakeFormation?: boolean;
}

const DEFAULT_ROLE_NAME = 'qualytics-athena-access';

/**
 * Deploys the customer template's target role to every account of an organization or of some of its
 * organizational units, through a service-managed CloudFormation StackSet with automatic deployment to
 * accounts that join later. Create it in the organization's management account (or a delegated
 * administrator, with `delegatedAdmin`); trusted access for StackSets must be enabled in Organizations.
 */
export class AthenaTargetRoleStackSet extends Construct {
  /** The StackSet. */
  public readonly stackSet: CfnStackSet;
  /** The target role's name in every account. */
  public readonly roleName: string;
  /** The target role ARN in each of `accountIds` (empty without them). */
  public readonly targetRoleArns: string[];

  private readonly accountIds?: string[];

  constructor(scope: Construct, id: string, props: AthenaTargetRoleStackSetProps) {
    const parameters = templateParameters(props);
    validateList('organizationalUnitIds', props.organizationalUnitIds, (property, value) => {
      if (!Token.isUnresolved(value) && !/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(value)) {
        invalid(property, value, 'An organizational unit ID is ou-<root>-<unit> (e.g. ou-ab12-cdef3456), or the root r-<id> for the whole organization.');
      }
    });
    if (props.accountIds !== undefined) validateList('accountIds', props.accountIds, validateAccountId);
    if (props.region !== undefined && !Token.isUnresolved(props.region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      invalid('region', props.region, 'A Region such as us-east-1.');
    }
    super(scope, id);
    warnOfPrimaryWorkGroup(this, props.workGroupNames);

    const stack = Stack.of(this);
    this.roleName = props.roleName ?? DEFAULT_ROLE_NAME;
    this.accountIds = props.accountIds;
    this.targetRoleArns = (props.accountIds ?? []).map((account) => `arn:${stack.partition}:iam::${account}:role/${this.roleName}`);
    const template = JSON.stringify(JSON.parse(AthenaTargetRoleTemplate.render()));

    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: props.stackSetName,
      description: 'Qualytics: IAM role the Qualytics dataplane assumes to query Amazon Athena, in every account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.delegatedAdmin ? 'DELEGATED_ADMIN' : 'SELF',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      templateBody: template,
      parameters: Object.entries(parameters).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue })),
      stackInstancesGroup: [{
        regions: [props.region ?? stack.region],
        deploymentTargets: {
          organizationalUnitIds: props.organizationalUnitIds,
          ...(props.accountIds ? { accounts: props.accountIds, accountFilterType: 'INTERSECTION' } : {}),
        },
      }],
    });
  }

  /** Allows `baseRole` to assume the target role in exactly the accounts of `accountIds`. */
  public grantAssumeTo(baseRole: DataplaneBaseRole): void {
    if (this.accountIds === undefined) {
      invalid('accountIds', this.accountIds, 'To give a base role permission for exactly the StackSet\'s accounts, list them in accountIds (add new accounts there as they join).');
    }
    this.targetRoleArns.forEach((arn) => baseRole.grantAssume(arn));
  }
}

/** The template's LakeFormation parameter for the access mode; undefined (its default, false) when neither prop is given. */
function lakeFormationParameter(props: AthenaTargetRoleStackSetProps): string | undefined {
  if (props.accessMode === undefined && props.lakeFormation === undefined) return undefined;
  const accessMode = resolveAccessMode(props.accessMode, props.lakeFormation);
  if (accessMode === AccessMode.LAKE_FORMATION) {
    invalid('accessMode', accessMode, 'The customer template offers accessMode IAM and IAM_AND_LAKE_FORMATION (its LakeFormation parameter); '
      + 'for LAKE_FORMATION, deploy an AthenaTargetRole (or an AthenaAccessStack config) instead.');
  }
  return String(accessMode === AccessMode.IAM_AND_LAKE_FORMATION);
}

/**
 * The customer template's parameter values, checked as the template's patterns would check them. Tokens (for
 * example parameters of the stack holding the StackSet) pass through: the template's own `AllowedPattern`
 * checks them when each stack instance deploys, as it checks any value.
 */
function templateParameters(props: AthenaTargetRoleStackSetProps): Record<string, string> {
  validateRoleArn('baseRoleArn', props.baseRoleArn);
  validateExternalId('externalId', props.externalId);
  if (props.roleName !== undefined) validateRoleName('roleName', props.roleName);
  // The template's rules would refuse these at deploy time; the values are known here.
  validateQueryResultsChoice(props);
  if (props.resultsPrefix !== undefined) normalizePrefix('resultsPrefix', props.resultsPrefix);
  (props.kmsKeyArns ?? []).forEach((arn, index) => validateKmsKeyArn(`kmsKeyArns[${index}]`, arn));
  const values: Record<string, string | undefined> = {
    BaseRoleArn: props.baseRoleArn,
    ExternalId: props.externalId,
    RoleName: props.roleName,
    WorkGroups: commaSeparated(props.workGroupNames),
    QueryResults: props.managedQueryResults ? 'Managed' : undefined,
    ResultsBucket: props.resultsBucketName,
    ResultsPrefix: props.resultsPrefix,
    ManagedQueryResultsKmsKeyArn: props.managedQueryResultsKmsKeyArn,
    GlueDatabases: commaSeparated(props.glueDatabaseNames),
    DataLocations: commaSeparated(props.dataLocations),
    KmsKeyArns: commaSeparated(props.kmsKeyArns),
    LakeFormation: lakeFormationParameter(props),
  };
  // The template's own AllowedPattern is the final word on each value.
  const declared: Record<string, { AllowedPattern?: string; ConstraintDescription?: string }> =
    JSON.parse(AthenaTargetRoleTemplate.render()).Parameters;
  for (const [name, value] of Object.entries(values)) {
    const pattern = declared[name].AllowedPattern;
    if (value !== undefined && pattern !== undefined && !Token.isUnresolved(value) && !new RegExp(pattern).test(value)) {
      invalid(parameterProperty(name), value, `The customer template accepts ${declared[name].ConstraintDescription}.`);
    }
  }
  // CloudFormation cannot compare parameters with each other; the values are known here, so compare them.
  const resultsPrefix = props.resultsPrefix ?? DEFAULT_RESULTS_PREFIX;
  const literalLocations = !(props.dataLocations ?? []).some((l) => Token.isUnresolved(l)) && !Token.isUnresolved(resultsPrefix);
  if (props.resultsBucketName !== undefined && literalLocations) {
    validateResultsOutsideData({ bucketName: props.resultsBucketName, prefix: resultsPrefix.replace(/\/+$/, '') },
      (props.dataLocations ?? []).map((location) => {
        const [bucketName, ...folders] = location.split('/');
        return { bucketName, prefix: folders.length > 0 ? folders.join('/') : undefined };
      }));
  }
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** A list as one comma-separated value; a list token (a `CommaDelimitedList` parameter, say) joined at deploy time. */
function commaSeparated(list: string[] | undefined): string | undefined {
  if (list === undefined) return undefined;
  return Token.isUnresolved(list) ? Fn.join(',', list) : list.join(',');
}

const PROPERTY_OF: Record<string, string> = {
  WorkGroups: 'workGroupNames', GlueDatabases: 'glueDatabaseNames', DataLocations: 'dataLocations', KmsKeyArns: 'kmsKeyArns',
};

function parameterProperty(parameter: string): string {
  return PROPERTY_OF[parameter] ?? parameter.charAt(0).toLowerCase() + parameter.slice(1);
}
