import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AthenaTargetRoleStackSet } from '../lib';

/** Where the target role goes and what it trusts. */
export interface OrganizationRolloutStackProps extends StackProps {
  /** The Qualytics dataplane base role of the customer's tenant. */
  readonly baseRoleArn: string;
  /** The External ID Qualytics generated for the customer. */
  readonly externalId: string;
  /** The organizational units (or the root) whose accounts get the role. */
  readonly organizationalUnitIds: string[];
  /** The accounts the base role may reach; omit to deploy to every account of the units, now and later. */
  readonly accountIds?: string[];
}

/**
 * Example 5 — Organization-wide rollout (managed): from the organization's management account, a
 * service-managed StackSet puts the customer template's target role into every account of the given
 * organizational units, and into accounts that join them later.
 */
export class OrganizationRolloutStack extends Stack {
  public readonly rollout: AthenaTargetRoleStackSet;

  constructor(scope: Construct, id: string, props: OrganizationRolloutStackProps) {
    super(scope, id, props);

    this.rollout = new AthenaTargetRoleStackSet(this, 'AthenaTargetRoles', {
      stackSetName: 'qualytics-athena-target-role',
      organizationalUnitIds: props.organizationalUnitIds,
      accountIds: props.accountIds,
      baseRoleArn: props.baseRoleArn,
      externalId: props.externalId,
      workGroupNames: ['analytics'],
      resultsBucketName: 'acme-athena-results',
      glueDatabaseNames: ['sales', 'marketing'],
      dataLocations: ['acme-data-lake/warehouse'],
    });
  }
}
