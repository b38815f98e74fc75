import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IConstruct } from 'constructs';
import {
  MAX_RESOURCES_PER_STACK, planLakeFormationGrants, principalPermissionsResource, validateNestedStacksDeployable,
} from './policy/lake-formation-grants';
import { validateAccountId, validateRoleOrUserArn } from './validation';

/**
 * An LF-Tag expression: the databases and tables whose LF-Tags match it. Every key must match (AND); a key
 * matches when the resource's value for it is one of the listed values (OR).
 */
export interface LakeFormationTagExpression {
  /**
   * LF-Tag keys and the values each may take, such as `{ domain: ['sales'], env: ['prod', 'staging'] }`:
   * 1 to 5 keys, each with 1 to 50 values (Lake Formation's limits for one expression).
   */
  readonly tags: { [key: string]: string[] };
}

/** Lake Formation grants that let one principal read databases and their tables. */
export interface LakeFormationGrantsProps {
  /** The IAM role or user the grants are for (`arn:<partition>:iam::<account>:role/...` or `:user/...`). */
  readonly principalArn: string;
  /**
   * Databases whose definition (DESCRIBE) and every table (SELECT and DESCRIBE, through a table wildcard) the
   * principal may read. Names, not patterns: Lake Formation grants name resources; use `tagExpressions` to
   * grant by LF-Tag.
   *
   * @default - none
   */
  readonly databaseNames?: string[];
  /**
   * LF-Tag expressions: the principal may see the databases and read the tables that match any of them.
   *
   * @default - none
   */
  readonly tagExpressions?: LakeFormationTagExpression[];
  /**
   * The Data Catalog the databases are in: its account ID.
   *
   * @default - the stack's account
   */
  readonly catalogId?: string;
  /**
   * Nested stacks to spread the grants over, for more grants than one stack holds (CloudFormation allows 500
   * resources per stack, and every database takes two grants). A database always goes to the nested stack its
   * name hashes to, so adding or removing databases never moves the others; changing this number moves most
   * grants, and CloudFormation revokes a moved grant when it removes it from its old stack, so pick a number
   * with room to grow (synth fails when a stack would hold more than 500 grants). 0 keeps the grants in the
   * stack of this construct.
   *
   * @default 0
   */
  readonly nestedStacks?: number;
}

/**
 * `AWS::LakeFormation::PrincipalPermissions` grants that let one principal read databases: DESCRIBE on each
 * database, SELECT and DESCRIBE on all its tables; or the same on every database and table an LF-Tag expression
 * matches. No grant carries a grant option.
 *
 * The grants of a stack are created one after another (each depends on the one before): Lake Formation refuses
 * concurrent permission changes with ConcurrentModificationException
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/troubleshooting.html). With `nestedStacks`, each nested
 * stack's grants form one such chain and the nested stacks deploy side by side.
 *
 * Whoever deploys the stack must be allowed to grant these permissions in Lake Formation: a data lake
 * administrator, or a principal holding them with the grant option.
 */
export class LakeFormationGrants extends Construct {
  /** Every grant, in the order of `databaseNames` then `tagExpressions`. */
  public readonly grants: lakeformation.CfnPrincipalPermissions[];
  /** The nested stacks that hold the grants (empty when `nestedStacks` is 0). */
  public readonly nestedStacks: NestedStack[];

  constructor(scope: Construct, id: string, props: LakeFormationGrantsProps) {
    const shards = planLakeFormationGrants(props);
    validateRoleOrUserArn('principalArn', props.principalArn);
    if (props.catalogId !== undefined) validateAccountId('catalogId', props.catalogId);
    const stackCount = props.nestedStacks ?? 0;
    validateNestedStacksDeployable(scope, 'nestedStacks', stackCount);
    super(scope, id);

    const catalogId = props.catalogId ?? Stack.of(this).account;
    this.nestedStacks = stackCount === 0 ? [] : shards.map((_, index) => new NestedStack(this, `Grants${index + 1}`, {
      description: `Qualytics dataplane: Lake Formation read grants (part ${index + 1} of ${stackCount})`,
    }));
    this.grants = [];
    shards.forEach((group, index) => {
      const parent: Construct = stackCount === 0 ? this : this.nestedStacks[index];
      let previous: CfnResource | undefined;
      for (const spec of group) {
        const grant = new lakeformation.CfnPrincipalPermissions(parent, spec.id, {
          catalog: catalogId,
          principal: { dataLakePrincipalIdentifier: props.principalArn },
          resource: principalPermissionsResource(spec.resource, catalogId),
          permissions: spec.permissions,
          permissionsWithGrantOption: [],
        });
        if (previous) grant.addResourceDependency(previous);
        previous = grant;
        this.grants.push(grant);
      }
    });
    if (stackCount === 0) this.node.addValidation({ validate: () => checkStackResources(Stack.of(this)) });
  }
}

/** A stack deploys only with at most 500 resources; the grants are often the most numerous. */
function checkStackResources(stack: Stack): string[] {
  const count = stack.node.findAll().filter((c: IConstruct) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
  return count > MAX_RESOURCES_PER_STACK
    ? [`the stack has ${count} resources, over CloudFormation's ${MAX_RESOURCES_PER_STACK}: set nestedStacks to spread the Lake Formation grants`]
    : [];
}
