import { BootstraplessSynthesizer, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IConstruct } from 'constructs';
import { MAX_RESOURCES_PER_STACK, planLakeFormationGrants, principalPermissionsResource } from '../model/lake-formation-grants';
import { LakeFormationTagExpression } from '../model/query-policy-options';
import { invalid, validateAccountId, validateRoleOrUserArn } from '../model/validation';

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
   * LF-Tag expressions: the principal may see the databases and read the tables that match any of them. Each
   * expression's grants are named after its canonical form (keys sorted, values sorted without repeats), which
   * is also what the template holds: reordering keys or values changes nothing, and giving the same expression
   * twice is refused.
   *
   * @default - none
   */
  readonly tagExpressions?: LakeFormationTagExpression[];
  /**
   * Whether to grant DESCRIBE on the `default` database, which Athena needs under Lake Formation whatever
   * database a query names (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html). Nothing
   * more is granted on it (no table); when `databaseNames` lists `default`, its own grants cover it. Turn it off
   * only when the principal gets DESCRIBE on `default` elsewhere: CloudFormation cannot create a grant the
   * principal already holds through another stack.
   *
   * @default true
   */
  readonly defaultDatabaseDescribe?: boolean;
  /**
   * The Data Catalog the databases are in: its account ID.
   *
   * @default - the stack's account
   */
  readonly catalogId?: string;
  /**
   * Nested stacks to spread the grants over, for more grants than one stack holds (CloudFormation allows 500
   * resources per stack, and every database takes two grants). A database (or LF-Tag expression) always goes to
   * the nested stack its name (or canonical form) hashes to, so adding or removing databases never moves the
   * others. Only the nested stacks that receive grants are created, each keeping the id of its place
   * (`Grants<k>`), so no nested stack is ever empty (CloudFormation refuses a template without resources). The
   * nested stacks deploy one after another (each depends on the one before), so that no two grant changes for
   * the principal run at once. 0 keeps the grants in the stack of this construct.
   *
   * Changing this number once deployed moves most grants to another nested stack, which CloudFormation cannot
   * do in one deploy: a grant is identified by principal and resource, so the new stack's create fails with
   * AlreadyExists, or the old stack's delete revokes what the new one holds. Change it in two deploys: first
   * without the grants (`createLakeFormationGrants: false` on the Athena constructs, or without this
   * construct), which revokes them, then with the grants and the new number. Pick a number with room to grow
   * (synth fails when a stack would hold more than 500 grants).
   *
   * @default 0
   */
  readonly nestedStacks?: number;
}

/**
 * `AWS::LakeFormation::PrincipalPermissions` grants that let one principal read databases: DESCRIBE on each
 * database, SELECT and DESCRIBE on all its tables; or the same on every database and table an LF-Tag expression
 * matches; and DESCRIBE on `default`, which Athena needs (see `defaultDatabaseDescribe`). No grant carries a
 * grant option.
 *
 * The grants of a stack are created one after another (each depends on the one before): Lake Formation refuses
 * concurrent permission changes with ConcurrentModificationException
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/troubleshooting.html). With `nestedStacks`, each nested
 * stack's grants form one such chain and the nested stacks form another: each depends on the one before.
 *
 * Whoever deploys the stack must be allowed to grant these permissions in Lake Formation: a data lake
 * administrator, or a principal holding them with the grant option.
 */
export class LakeFormationGrants extends Construct {
  /** Every grant, by the stack that holds it, and in each the order of `databaseNames`, `tagExpressions`, `default`. */
  public readonly grants: lakeformation.CfnPrincipalPermissions[];
  /** The nested stacks that hold the grants, in deploy order (empty when `nestedStacks` is 0); never one without a grant. */
  public readonly nestedStacks: NestedStack[];

  constructor(scope: Construct, id: string, props: LakeFormationGrantsProps) {
    const shards = planLakeFormationGrants(props);
    validateRoleOrUserArn('principalArn', props.principalArn);
    if (props.catalogId !== undefined) validateAccountId('catalogId', props.catalogId);
    const stackCount = props.nestedStacks ?? 0;
    validateNestedStacksDeployable(scope, 'nestedStacks', stackCount);
    super(scope, id);

    const catalogId = props.catalogId ?? Stack.of(this).account;
    this.nestedStacks = [];
    this.grants = [];
    shards.forEach((group, index) => {
      if (group.length === 0) return;
      let parent: Construct = this;
      if (stackCount > 0) {
        // Named by its place, not its rank among the non-empty ones: a grant's nested stack never changes with the others.
        const nested = new NestedStack(this, `Grants${index + 1}`, {
          description: `Qualytics dataplane: Lake Formation read grants (part ${index + 1} of ${stackCount})`,
        });
        const before = this.nestedStacks[this.nestedStacks.length - 1];
        if (before) (nested.nestedStackResource as CfnResource).addResourceDependency(before.nestedStackResource as CfnResource);
        this.nestedStacks.push(nested);
        parent = nested;
      }
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

/**
 * Nested stacks are deployed from templates uploaded as assets, which a stack without CDK bootstrap (a template
 * for `aws cloudformation deploy`, such as `qualytics-athena-iam synth --config` writes) cannot hold.
 */
export function validateNestedStacksDeployable(scope: IConstruct, property: string, nestedStacks: number): void {
  if (nestedStacks > 0 && Stack.of(scope).synthesizer instanceof BootstraplessSynthesizer) {
    invalid(property, nestedStacks, 'Nested stacks need CDK bootstrap and `cdk deploy` (their templates are uploaded as assets); this stack ' +
      'is synthesized without bootstrap, for `aws cloudformation deploy`. Synthesize AthenaAccessStack in a CDK app and deploy it with ' +
      '`cdk deploy`, or keep the grants in the stack (0, up to 250 databases less the stack\'s other resources).');
  }
}
