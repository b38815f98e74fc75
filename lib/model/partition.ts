/** The AWS partition a region belongs to: its name and the DNS suffix of its endpoints. */
export interface PartitionInfo {
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** `amazonaws.com` or `amazonaws.com.cn`. */
  readonly dnsSuffix: string;
}

/** Regions of the aws, aws-cn and aws-us-gov partitions, e.g. `eu-west-1`, `cn-north-1`, `us-gov-west-1`. */
const REGION = /^[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}$/;

/** What a region must look like, for error messages. */
export const REGION_EXPECTED = 'a region of the aws, aws-cn or aws-us-gov partition such as us-east-1, cn-north-1 or us-gov-west-1';

/** The partition of `region`, or undefined when `region` is not a region of a supported partition. */
export function partitionOf(region: string): PartitionInfo | undefined {
  if (!REGION.test(region)) {
    return undefined;
  }
  if (region.startsWith('cn-')) {
    return { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
  }
  if (region.startsWith('us-gov-')) {
    return { partition: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
  }
  return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
}

/**
 * The regional STS endpoint of `region` (never the global `sts.amazonaws.com`), so AssumeRole is served
 * from the connection's own region and partition.
 */
export function regionalStsEndpoint(region: string, partition: PartitionInfo): string {
  return `https://sts.${region}.${partition.dnsSuffix}`;
}
