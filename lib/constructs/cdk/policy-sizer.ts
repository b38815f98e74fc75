import { CfnElement, CfnParameter, CfnResource, IResolvable, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { PolicyDocument } from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DeployTimeToken } from './deploy-time-tokens';
import {
  commas, JsonMeasure, JsonSizer, managedPolicyProblems, PSEUDO_PARAMETER_LENGTHS, REF_LENGTHS, sum,
  UNKNOWN_VALUE_LENGTH,
} from '../../model/size';

/**
 * Measures policy documents of a stack the way IAM does (JSON without whitespace), before deployment: the
 * model's sizer, told how long the stack's tokens can be. Values that are only known at deploy time count with
 * the longest value they can take: pseudo parameters with the longest partition and region names,
 * CloudFormation parameters with their `MaxLength`, references with the longest name of their resource type,
 * anything else with {@link UNKNOWN_VALUE_LENGTH}. The sizes are therefore upper bounds, exact for a stack whose
 * account and region are known.
 */
export class PolicySizer implements JsonMeasure {
  private elements?: Map<string, CfnElement>;
  /** Policies repeat the same few tokens (partition, region, account) in every ARN: resolve each once. */
  private readonly tokenLengths = new Map<string, number>();
  private readonly sizer: JsonSizer;

  constructor(private readonly stack: Stack) {
    this.sizer = new JsonSizer({
      stringLength: (value) => this.tokenStringLength(value),
      valueLength: (value) => this.valueLength(value),
    });
  }

  /** Characters `value` takes when rendered as JSON without whitespace. */
  public jsonLength(value: unknown): number {
    return this.sizer.jsonLength(value);
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
    return managedPolicyProblems(this.documentLength(document), hint);
  }

  /** Characters of a string once its deploy-time values are resolved (an upper bound). */
  public stringLength(value: string): number {
    return this.sizer.stringLength(value);
  }

  /** A token object, or a resolved CloudFormation intrinsic: its length as deployed. */
  private valueLength(value: object): number | undefined {
    if (Tokenization.isResolvable(value)) return this.jsonLength(this.stack.resolve(value));
    if (isIntrinsic(value)) return this.resolvedLength(value) + 2;
    return undefined;
  }

  /** Characters of a string once its tokens are resolved at deploy time (an upper bound). */
  private tokenStringLength(value: string): number {
    if (!Token.isUnresolved(value)) return value.length;
    const placeholders = Tokenization.reverseString(value).mapTokens({
      mapToken: (token) => 'x'.repeat(this.tokenLength(token)),
    });
    return String(placeholders.join(new StringConcat())).length;
  }

  private tokenLength(token: IResolvable): number {
    // The model's deploy-time values declare their longest value.
    if (token instanceof DeployTimeToken) return token.deployTimeValue.maxLength;
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
