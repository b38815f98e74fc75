import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataplaneBaseRole, DataplaneIdentity } from '../lib';

/** The vendor's view of one tenant. */
export interface ManagedVendorStackProps extends StackProps {
  /** The tenant's name, used in its role name `<tenant>-dataplane-role`. */
  readonly tenant: string;
  /** The IAM OIDC provider of the EKS cluster the tenant's dataplane runs on. */
  readonly oidcProviderArn: string;
  /** The dataplane's Kubernetes namespace. */
  readonly namespace: string;
  /** The customer accounts whose target roles the tenant may assume. */
  readonly customerAccountIds: string[];
}

/**
 * Example 3 — Managed, vendor account: the tenant's base role, reached through IRSA, may assume only roles
 * named `qualytics-athena-*` in the tenant's own customer accounts.
 */
export class ManagedVendorStack extends Stack {
  public readonly baseRole: DataplaneBaseRole;

  constructor(scope: Construct, id: string, props: ManagedVendorStackProps) {
    super(scope, id, props);

    this.baseRole = new DataplaneBaseRole(this, 'BaseRole', {
      roleName: `${props.tenant}-dataplane-role`,
      identity: DataplaneIdentity.irsa({ oidcProviderArn: props.oidcProviderArn, namespace: props.namespace }),
      targetAccountIds: props.customerAccountIds,
      targetRoleNamePrefix: 'qualytics-athena-',
    });
    new CfnOutput(this, 'BaseRoleArn', {
      value: this.baseRole.roleArn,
      description: 'The principal customers name in their target role trust (BaseRoleArn parameter)',
    });
  }
}
