import { Template } from 'aws-cdk-lib/assertions';
import { deployOnPaper } from './cloudformation';
import { CUSTOMER_ACCOUNT, VENDOR_ACCOUNT } from './full-options';
import { DeployedRole, deployedRole, logicalIdOf } from './simulate';
import { newStack } from './stacks';
import { DataplaneBaseRole, DataplaneIdentity } from '../../lib';

let cached: DeployedRole | undefined;

/**
 * The vendor's tenant base role `acme-dataplane-role` as if it ran on EKS Pod Identity (session tags on),
 * allowed to assume `qualytics-athena-*` roles in the customer account: the ARN every managed example trusts.
 */
export function podIdentityVendorBaseRole(): DeployedRole {
  if (!cached) {
    const stack = newStack({ env: { account: VENDOR_ACCOUNT, region: 'us-east-1' } });
    const base = new DataplaneBaseRole(stack, 'Base', {
      roleName: 'acme-dataplane-role',
      identity: DataplaneIdentity.eksPodIdentity({ namespace: 'qualytics', clusterName: 'qualytics-dataplane' }),
      targetAccountIds: [CUSTOMER_ACCOUNT],
      targetRoleNamePrefix: 'qualytics-athena-',
    });
    const deployed = deployOnPaper(Template.fromStack(stack).toJSON(), { account: VENDOR_ACCOUNT, region: 'us-east-1' });
    cached = deployedRole(deployed, logicalIdOf(base.role));
  }
  return cached;
}
