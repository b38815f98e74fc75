import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DeploymentConfig, IdentityConfig, loadDeploymentConfig, parseDeploymentConfig } from './deployment-config';
import { AthenaTargetRole, AthenaTargetRoleProps } from '../constructs/athena-target-role';
import { DataplaneBaseRole } from '../constructs/dataplane-base-role';
import { DataplaneIdentity } from '../constructs/dataplane-identity';
import { AccessMode } from '../model/access-mode';

const DEFAULT_ROLE_NAME = 'qualytics-athena-access';

/**
 * The stack a deployment config describes. Managed: the target role, trusting the tenant's base role with
 * the External ID. Self-hosted: the base role (wired to the dataplane's pods) and the target role it
 * assumes, plus permission to assume the same-named target role in `targetAccounts`. Outputs: what the
 * connection form needs and, self-hosted, the values for the dataplane chart.
 *
 * `npx qualytics-athena-iam synth --config <file>` synthesizes it without an app of your own; in a CDK app,
 * `new AthenaAccessStack(app, loadDeploymentConfig('access.json'))`.
 */
export class AthenaAccessStack extends Stack {
  /**
   * The stack a config file (JSON) describes; the file is checked against the JSON Schema, and a bad one fails
   * with every problem listed by JSON path. The same as `new AthenaAccessStack(scope, loadDeploymentConfig(file))`,
   * for languages other than TypeScript.
   */
  public static fromFile(scope: Construct, file: string, props: StackProps = {}): AthenaAccessStack {
    return new AthenaAccessStack(scope, loadDeploymentConfig(file), props);
  }

  public readonly targetRole: AthenaTargetRole;
  public readonly baseRole?: DataplaneBaseRole;

  /**
   * @param config the deployment, checked against the JSON Schema first (a config built in code gets the same
   *   errors as a file)
   * @param props stack settings that override the config's (name, environment, synthesizer)
   */
  constructor(scope: Construct, config: DeploymentConfig, props: StackProps = {}) {
    parseDeploymentConfig(config, 'given to AthenaAccessStack');
    super(scope, config.stackName ?? 'QualyticsAthenaAccess', {
      description: `Qualytics ${config.deployment} deployment: IAM for the dataplane to query Amazon Athena`,
      env: { account: config.account, region: config.region },
      ...props,
    });
    const roleName = config.roleName ?? DEFAULT_ROLE_NAME;

    if (config.deployment === 'self-hosted') {
      this.baseRole = new DataplaneBaseRole(this, 'BaseRole', {
        identity: identityOf(config.identity!),
        targetRoleArns: (config.targetAccounts ?? []).map((account) => `arn:${this.partition}:iam::${account}:role/${roleName}`),
      });
      this.baseRole.addDataplaneOutputs();
    }

    this.targetRole = new AthenaTargetRole(this, 'TargetRole', {
      trustedRoleArn: this.baseRole?.roleArn ?? config.baseRoleArn!,
      externalId: config.externalId,
      roleName,
      workGroupNames: config.workGroups,
      resultsBucketName: config.resultsBucket,
      resultsPrefix: config.resultsPrefix,
      managedQueryResults: config.managedQueryResults,
      managedQueryResultsKmsKeyArn: config.managedQueryResultsKmsKeyArn,
      glueDatabaseNames: config.glueDatabases,
      catalogs: config.catalogs?.map((c) => ({
        catalogName: c.catalog,
        dataSourceName: c.dataSource,
        databaseNames: c.databases,
        lakeFormationVendsCredentials: c.lakeFormationVendsCredentials,
      })),
      dataLocations: config.dataLocations?.map((l) => ({ bucketName: l.bucket, prefix: l.prefix })),
      kmsKeyArns: config.kmsKeyArns,
      lakeFormation: config.lakeFormation,
      ...lakeFormationModeOf(config),
      // Self-hosted, the base role's identity is known: allow its session tags only when it has any.
      allowPodIdentitySessionTags: this.baseRole && this.baseRole.identity.transitiveSessionTagKeys.length > 0,
    });
    this.baseRole?.grantAssume(this.targetRole.roleArn);
    this.targetRole.addConnectionOutputs();
    new CfnOutput(this, 'DeploymentType', { value: config.deployment, description: 'Which deployment this stack serves' });
  }
}

function identityOf(identity: IdentityConfig): DataplaneIdentity {
  if (identity.type === 'irsa') {
    return DataplaneIdentity.irsa({
      oidcProviderArn: identity.oidcProviderArn!, namespace: identity.namespace, serviceAccount: identity.serviceAccount,
    });
  }
  return DataplaneIdentity.eksPodIdentity({
    clusterName: identity.clusterName,
    namespace: identity.namespace,
    serviceAccount: identity.serviceAccount,
    createAssociation: identity.createAssociation,
    sessionTags: identity.sessionTags,
  });
}

/** The config's access mode and the Lake Formation mode's settings, as the constructs take them (they refuse what a mode does not take). */
function lakeFormationModeOf(config: DeploymentConfig): Partial<AthenaTargetRoleProps> {
  const modes: Record<string, AccessMode> = {
    'iam': AccessMode.IAM, 'iam-and-lake-formation': AccessMode.IAM_AND_LAKE_FORMATION, 'lake-formation': AccessMode.LAKE_FORMATION,
  };
  return {
    accessMode: config.accessMode === undefined ? undefined : modes[config.accessMode],
    lakeFormationTagExpressions: config.lakeFormationTagExpressions?.map((tags) => ({ tags })),
    createLakeFormationGrants: config.createLakeFormationGrants,
    lakeFormationNestedStacks: config.lakeFormationNestedStacks,
    lakeFormationDefaultDatabaseDescribe: config.lakeFormationDefaultDatabaseDescribe,
  };
}
