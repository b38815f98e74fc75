/** How a construct names the stack outputs it adds. */
export interface OutputKeyOptions {
  /**
   * Put in front of every output key, for a stack that adds the same outputs more than once (two target roles,
   * or a target role and an access key user): `Analytics` gives `AnalyticsRoleArn`, `AnalyticsHost`, ...
   * Letters and digits, starting with a letter (CloudFormation's rule for output keys).
   *
   * @default '' - the keys are exactly the names the method lists
   */
  readonly keyPrefix?: string;
}
