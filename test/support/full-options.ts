import { AthenaTargetRoleProps } from '../../lib';

/** Accounts and Region the proofs deploy to. */
export const CUSTOMER_ACCOUNT = '111122223333';
export const VENDOR_ACCOUNT = '315179787488';
export const EXTERNAL_ID = 'qualytics-acme-7f3c9e';

/** A target role with every option set (Lake Formation, KMS, several workgroups, databases and locations). */
export const FULL_TARGET_ROLE_PROPS: AthenaTargetRoleProps = {
  trustedRoleArn: `arn:aws:iam::${VENDOR_ACCOUNT}:role/acme-dataplane-role`,
  externalId: EXTERNAL_ID,
  trustedOrganizationId: 'o-abcdef1234',
  roleName: 'qualytics-athena-general',
  workGroupNames: ['analytics', 'reporting'],
  glueDatabaseNames: ['sales', 'finance'],
  resultsBucketName: 'acme-athena-results',
  resultsPrefix: 'qualytics/results',
  dataLocations: [{ bucketName: 'acme-lake', prefix: 'curated/sales' }, { bucketName: 'acme-raw' }],
  kmsKeyArns: [`arn:aws:kms:eu-west-1:${CUSTOMER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  lakeFormation: true,
};
