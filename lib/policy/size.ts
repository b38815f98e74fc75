import { CfnElement, CfnParameter, CfnResource, IResolvable, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { PolicyDocument } from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DeployTimeItem } from './deploy-time-list';

/** IAM's size limits, in characters not counting whitespace. */
export const IAM_LIMITS = {
  /** A customer managed policy. */
  managedPolicy: 6144,
  /** A role trust policy, with the default quota (raisable to 4,096). */
  trustPolicy: 2048,
  /** Managed policies attached to one role, user or group, with the default quota. */
  managedPoliciesPerIdentity: 10,
  /** Managed policies attached to one identity, with the quota raised as far as it goes. */
  managedPoliciesPerIdentityMax: 20,
  /** All inline policies of one role together. */
  roleInlinePolicies: 10240,
  /** All inline policies of one group together. */
  groupInlinePolicies: 5120,
  /** All inline policies of one user together. */
  userInlinePolicies: 2048,
};

/** Longest values a pseudo parameter can take once deployed. */
const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::Partition': 'aws-us-gov'.length,
  'AWS::Region': 'ap-southeast-7'.length,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 'amazonaws.com.cn'.length,
};

/** Longest value `Ref` returns for resources of these types. */
const REF_LENGTHS: Record<string, number> = {
  'AWS::S3::Bucket': 63,
  'AWS::KMS::Key': 36,
  'AWS::IAM::Role': 64,
  'AWS::Athena::WorkGroup': 128,
};

/** What any other unresolved value is assumed to take at most. */
export const UNKNOWN_VALUE_LENGTH = 128;

/**
 * Measures policy documents the way IAM does (JSON without whitespace), before deployment. Values that are
 * only known at deploy time count with the longest value they can take: pseudo parameters with the longest
 * partition and region names, CloudFormation parameters with their `MaxLength`, references with the longest
 * name of their resource type, anything else with {@link UNKNOWN_VALUE_LENGTH}. The sizes are therefore upper
 * bounds, exact for a stack whose account and region are known.
 */
export class PolicySizer {
  private elements?: Map<string, CfnElement>;
  /** Policies repeat the same few tokens (partition, region, account) in every ARN: resolve each once. */
  private readonly tokenLengths = new Map<string, number>();

  constructor(private readonly stack: Stack) {}

  /** Characters `value` takes when rendered as JSON without whitespace. */
  public jsonLength(value: unknown): number {
    if (typeof value === 'string') return this.stringLength(value) + 2;
    if (Array.isArray(value)) return 2 + commas(value.length) + sum(value.map((v) => this.jsonLength(v)));
    if (Tokenization.isResolvable(value)) return this.jsonLength(this.stack.resolve(value));
    if (isIntrinsic(value)) return this.resolvedLength(value) + 2;
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      return 2 + commas(entries.length) + sum(entries.map(([k, v]) => this.jsonLength(k) + 1 + this.jsonLength(v)));
    }
    return JSON.stringify(value).length;
  }

  /**
   * Characters of a policy document as deployed, including statements added after construction. The
   * document is measured before it is resolved: each token counts at its longest deployed value, where the
   * resolved document would count the CloudFormation functions that compute it.
   */
  public documentLength(document: PolicyDocument): number {
    return this.jsonLength(document.toJSON());
  }

  /** The problem with a managed policy document that IAM would reject for size, if any. */
  public managedPolicyProblems(document: PolicyDocument, hint: string = ''): string[] {
    const size = this.documentLength(document);
    const over = size - IAM_LIMITS.managedPolicy;
    return over > 0 ? [`managed policy is ${size} characters, over IAM's limit of ${IAM_LIMITS.managedPolicy} by ${over}${hint}`] : [];
  }

  /** Characters of a string once its tokens are resolved at deploy time (an upper bound). */
  public stringLength(value: string): number {
    if (!Token.isUnresolved(value)) return value.length;
    const placeholders = Tokenization.reverseString(value).mapTokens({
      mapToken: (token) => 'x'.repeat(this.tokenLength(token)),
    });
    return String(placeholders.join(new StringConcat())).length;
  }

  private tokenLength(token: IResolvable): number {
    // Deploy-time list items declare their longest value.
    if (token instanceof DeployTimeItem) return token.maxLength;
    const key = token.toString();
    let length = this.tokenLengths.get(key);
    if (length === undefined) {
      length = this.resolvedLength(this.stack.resolve(token));
      this.tokenLengths.set(key, length);
    }
    return length;
  }

  /** The length of a resolved CloudFormation value: a literal, a `Ref`, an `Fn::Join` or something else. */
  private resolvedLength(resolved: unknown): number {
    if (typeof resolved === 'string') return resolved.length;
    if (typeof resolved === 'number') return String(resolved).length;
    if (resolved && typeof resolved === 'object') {
      const ref = (resolved as { Ref?: unknown }).Ref;
      if (typeof ref === 'string') return this.refLength(ref);
      const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      if (Array.isArray(join) && Array.isArray(join[1])) {
        return join[0].length * commas(join[1].length) + sum(join[1].map((part) => this.resolvedLength(part)));
      }
    }
    return UNKNOWN_VALUE_LENGTH;
  }

  private refLength(logicalId: string): number {
    const known = this.knownPseudoParameterLengths()[logicalId];
    if (known !== undefined) return known;
    const pseudo = PSEUDO_PARAMETER_LENGTHS[logicalId];
    if (pseudo !== undefined) return pseudo;
    const element = this.element(logicalId);
    if (element instanceof CfnParameter && element.maxLength !== undefined) return element.maxLength;
    if (element instanceof CfnResource) return REF_LENGTHS[element.cfnResourceType] ?? UNKNOWN_VALUE_LENGTH;
    return UNKNOWN_VALUE_LENGTH;
  }

  /** With a known Region, its partition and endpoint domain are known too (CDK keeps them as tokens). */
  private knownPseudoParameterLengths(): Record<string, number> {
    const region = this.stack.region;
    if (Token.isUnresolved(region)) return {};
    const info = RegionInfo.get(region);
    const lengths: Record<string, number> = { 'AWS::Region': region.length };
    if (info.partition) lengths['AWS::Partition'] = info.partition.length;
    if (info.domainSuffix) lengths['AWS::URLSuffix'] = info.domainSuffix.length;
    return lengths;
  }

  private element(logicalId: string): CfnElement | undefined {
    if (!this.elements) {
      this.elements = new Map();
      // Only parameters and resources can be a Ref's target. Outputs live in their own namespace and may share a
      // parameter's logical ID (the customer template's ExternalId output and parameter).
      for (const c of this.stack.node.findAll()) {
        if (c instanceof CfnParameter || CfnResource.isCfnResource(c)) this.elements.set(this.stack.resolve(c.logicalId), c);
      }
    }
    return this.elements.get(logicalId);
  }
}

/** A resolved CloudFormation intrinsic (`Ref`, `Fn::Join`, ...) that deploys as a string. */
function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function commas(count: number): number {
  return Math.max(0, count - 1);
}
