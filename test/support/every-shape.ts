import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { FULL_TARGET_ROLE_PROPS } from './full-options';
import { AccessKeyStack } from '../../examples/access-key-stack';
import { addExampleStacks } from '../../examples/example-app';
import { OrganizationRolloutStack } from '../../examples/organization-rollout-stack';
import { AthenaTargetRole } from '../../lib';
import { AthenaAccessStack } from '../../lib/config/athena-access-stack';
import { loadDeploymentConfig } from '../../lib/config/deployment-config';

const ROOT = path.join(__dirname, '..', '..');

/** The deployment configs the repository ships as examples (`examples/config/*.json`). */
export const EXAMPLE_CONFIGS = fs.readdirSync(path.join(ROOT, 'examples', 'config'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => path.join(ROOT, 'examples', 'config', f));

/**
 * Adds every template shape the library and its examples build to `app`, each in stacks of its own: the example
 * app's stacks (what `bin/app.ts` synthesizes), the Access Key user, the StackSet rollout, a target role with every
 * option, S3 Tables and federated catalogs, managed query results with a customer managed key, and a
 * config-driven stack per example config.
 */
export function addEveryShape(app: App): void {
  addExampleStacks(app);
  new AccessKeyStack(app, 'AccessKey', { env: { account: '111122223333', region: 'us-east-1' } });
  new OrganizationRolloutStack(app, 'Rollout', {
    env: { account: '111111111111', region: 'us-east-1' },
    baseRoleArn: 'arn:aws:iam::315179787488:role/acme-dataplane-role',
    externalId: 'qualytics-7f3c2a91-acme',
    organizationalUnitIds: ['ou-ab12-cdef3456'],
  });
  new AthenaTargetRole(new Stack(app, 'FullOptions'), 'TargetRole', FULL_TARGET_ROLE_PROPS).addConnectionOutputs();
  new AthenaTargetRole(new Stack(app, 'Catalogs'), 'TargetRole', {
    ...FULL_TARGET_ROLE_PROPS,
    catalogs: [
      { catalogName: 's3tablescatalog/analytics-tables', databaseNames: ['sales', 'finance_*'] },
      { catalogName: 's3tablescatalog/raw-tables' },
      { catalogName: 'partner_catalog/shared', dataSourceName: 'partner_data', databaseNames: ['orders'] },
    ],
  });
  const { resultsBucketName, resultsPrefix, ...withoutBucket } = FULL_TARGET_ROLE_PROPS;
  new AthenaTargetRole(new Stack(app, 'ManagedQueryResults'), 'TargetRole', {
    ...withoutBucket,
    managedQueryResults: true,
    managedQueryResultsKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
  }).addConnectionOutputs();
  for (const file of EXAMPLE_CONFIGS) new AthenaAccessStack(app, loadDeploymentConfig(file));
}
