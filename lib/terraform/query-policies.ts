import { eachItemOf, ListRange, listsOf, literal, rangeBlock, reference, sizeCheck, statementObject, statementsPerItem } from './hcl';
import { Variable } from './module';
import { IAM_LIMITS } from '../model/size';
import { StatementSpec } from '../model/statement-spec';
import { MANAGED_POLICY_QUOTA_RULE, queryPolicyCountRule } from '../model/validation';

/**
 * The query permissions of a Terraform module split over a fixed number of managed policies (`query_policy_count`),
 * by a split HCL computes at plan: the constructs' packer measures statements, which a plan cannot do before it
 * knows the values. Each item of a list variable goes to the policy `parseint(substr(md5(<key>), 0, 8), 16) %
 * query_policy_count` (https://developer.hashicorp.com/terraform/language/functions/md5,
 * https://developer.hashicorp.com/terraform/language/functions/parseint), so an item's policy depends on the item and
 * the count only: adding a database changes one policy's document in place and no other. The policies are keyed by
 * their number as a string, never by `count`, so that no policy shifts when another changes.
 *
 * The fixed statements (no list) are dealt out in turn, the first to policy 0, the next to policy 1 and so on: they
 * weigh as much as a dozen databases, and spread they leave every policy about as much room for items as the others.
 * With more policies than fixed statements, a policy beyond them repeats one (policy k the (k mod F)-th of the F
 * unconditional ones), so that no policy is ever empty whatever the lists hold: the policies are exactly
 * `query_policy_count`, keyed by number, and a repeated statement grants nothing the other copy does not.
 */

/**
 * What the query policies are attached to. Each policy has an attachment resource of its own beside the exclusive
 * attachments, as the provider's documentation of `aws_iam_<identity>_policy_attachments_exclusive` recommends for
 * attachments managed alongside it: destroying the exclusive resource "will not detach the configured policies"
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/iam_role_policy_attachments_exclusive),
 * and IAM refuses to delete a policy or a role while it is attached (DeleteConflict:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html).
 */
export interface PolicyAttachment {
  /** The kind of identity: the attachments are `aws_iam_<identity>_policy_attachments_exclusive`. */
  readonly identity: 'role' | 'user';
  /** HCL of the identity's name, e.g. `aws_iam_role.this.name`. */
  readonly name: string;
  /** HCL of what the policies' names start with (`<it>-query-<k>-`), e.g. `var.role_name`. */
  readonly namePrefix: string;
  /** Addresses of the identity's other managed policies, each one policy (`aws_iam_policy.guardrails`). */
  readonly otherPolicies: string[];
}

/** The query policies of a module. */
export interface QueryPoliciesOptions {
  /** The query statements, in order. */
  readonly statements: StatementSpec[];
  /** The model's presence conditions, as HCL booleans. */
  readonly presence: Record<string, string>;
  /**
   * For a list whose items are objects, the HCL of an item's split key over its iteration variable (e.g.
   * `location.bucket_name`, so a bucket's statements stay together); a list of strings splits by the item.
   */
  readonly splitKeys: Record<string, string>;
  readonly attachTo: PolicyAttachment;
  readonly description: string;
  /** What to shorten when a policy is too large. */
  readonly shorten: string;
  /** An earlier version had one `aws_iam_policy.query`: a `moved` block makes it policy "0" instead of replacing it. */
  readonly movedFromSingle?: boolean;
}

/** The rendered parts, for the module's `locals`, its resources and its variables. */
export interface QueryPolicies {
  /** Entries of `locals`: `query_policy_statements` and `query_policies` (the documents by key). */
  readonly locals: string;
  /** The policies, the `moved` block and the exclusive attachments. */
  readonly resources: string;
  readonly variables: Variable[];
}

const COUNT = 'var.query_policy_count';
const QUOTA = 'var.max_managed_policies';

/** The HCL of the policy number an item goes to. */
export function itemPolicy(key: string): string {
  return `parseint(substr(md5(${key}), 0, 8), 16) % ${COUNT}`;
}

/**
 * The HCL boolean of a statement's deploy-time condition (negated for a statement kept where it does not hold),
 * from the model's conditions as HCL; undefined for a statement without one.
 */
export function conditionOf(spec: StatementSpec, presence: Record<string, string>): string | undefined {
  if (spec.condition === undefined) return undefined;
  const holds = presence[spec.condition];
  if (holds === undefined) throw new Error(`Statement ${spec.sid}: condition ${spec.condition} has no Terraform expression`);
  return spec.unlessCondition ? `!(${holds})` : holds;
}

/** The statements of policy `shard` (an HCL number), as an HCL list. */
function shardStatements(specs: StatementSpec[], options: QueryPoliciesOptions): string {
  const keyOf = (list: ListRange) => options.splitKeys[list.over] ?? list.item;
  const inShard = (list: ListRange) => `${itemPolicy(keyOf(list))} == shard`;
  const isFixed = (spec: StatementSpec) => listsOf(spec.notResources ?? spec.resources).length === 0;
  const repeatable = specs.filter((spec) => isFixed(spec) && spec.condition === undefined).length;
  if (repeatable === 0) throw new Error('The query policies need a fixed statement without condition, so that none is empty');
  let fixed = 0;
  let unconditional = 0;
  const parts = specs.map((spec) => {
    const lists = listsOf(spec.notResources ?? spec.resources);
    if (lists.length > 1) throw new Error(`Statement ${spec.sid}: resources over two lists cannot be split by item`);
    const presence = conditionOf(spec, options.presence);
    const conditions: string[] = [];
    if (eachItemOf(spec) !== undefined) {
      // One statement per item in the shard, none where it has no item.
      const statements = statementsPerItem(spec, '      ', inShard);
      return presence === undefined || spec.condition === lists[0].presence ? statements : `[for statement in ${statements} : statement if ${presence}]`;
    }
    if (lists.length === 1) {
      const [list] = lists;
      if ((spec.notResources ?? spec.resources).some((r) => listsOf([r]).length === 0)) {
        throw new Error(`Statement ${spec.sid}: resources of a list and fixed ones cannot be split by item`);
      }
      // The shard's items decide, which also covers the list's presence condition; any other condition holds too.
      conditions.push(`length([for ${list.item} in ${list.over} : ${list.item} if ${inShard(list)}]) > 0`);
      if (presence !== undefined && spec.condition !== list.presence) conditions.push(presence);
    } else if (presence !== undefined) {
      conditions.push(`shard == ${fixed++} % ${COUNT}`, presence);
    } else {
      // Dealt out in turn; a policy numbered beyond the statements repeats one, so that none is empty.
      conditions.push(`shard == ${fixed++} % ${COUNT} || shard % ${repeatable} == ${unconditional++}`);
    }
    return `[for statement in [\n        ${statementObject(spec, '        ', inShard)},\n      ] : statement if ${conditions.join(' && ')}]`;
  });
  return `concat(\n      ${parts.join(',\n      ')},\n    )`;
}

/** The query policies over `options.statements`, attached with the identity's other policies. */
export function queryPolicies(options: QueryPoliciesOptions): QueryPolicies {
  const { attachTo } = options;
  const others = attachTo.otherPolicies.length;
  const locals = `  # The query statements by policy number (a string): list items by their hash, fixed statements in turn.
  query_policy_statements = {
    for shard in range(${COUNT}) : tostring(shard) => ${shardStatements(options.statements, options)}
  }

  # Keyed by number only, known at plan even when the lists' values are not.
  query_policies = {
    for key, statements in local.query_policy_statements : key => jsonencode({
      Version   = "2012-10-17"
      Statement = statements
    })
  }
`;
  const shorten = `${options.shorten}, or raise query_policy_count (now ${reference(COUNT)}, at most ${IAM_LIMITS.managedPoliciesPerIdentityMax - others})`;
  const total = `${COUNT} + ${others}`;
  const quotaMessage = `${attachTo.identity === 'role' ? 'The role' : 'The user'} would have ${reference(total)} managed policies `
    + `(query_policy_count ${reference(COUNT)} and ${others} other${others === 1 ? '' : 's'}), over max_managed_policies ${reference(QUOTA)}, `
    + 'the account\'s quota of managed policies per identity (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): '
    + `lower query_policy_count, or have the quota raised (up to ${IAM_LIMITS.managedPoliciesPerIdentityMax}, with Service Quotas) and set max_managed_policies to it.`;
  const moved = options.movedFromSingle ? `
# The query permissions were one policy before: it becomes policy "0", updated in place rather than replaced.
moved {
  from = aws_iam_policy.query
  to   = aws_iam_policy.query["0"]
}
` : '';
  // name_prefix and description force a new policy: the moved policy keeps the single policy's.
  const shardPrefix = `"\${${attachTo.namePrefix}}-query-\${each.key}-"`;
  const namePrefix = options.movedFromSingle ? `each.key == "0" ? "\${${attachTo.namePrefix}}-query-" : ${shardPrefix}` : shardPrefix;
  const resources = `resource "aws_iam_policy" "query" {
  for_each    = local.query_policies${options.movedFromSingle ? '\n  # Policy "0" keeps the name prefix of the single policy it was (a new prefix would replace it).' : ''}
  name_prefix = ${namePrefix}
  path        = var.path
  description = ${literal(options.description)}
  policy      = each.value
  tags        = var.tags
  lifecycle {
    create_before_destroy = true
${sizeCheck('each.value', `The query policy ${reference('each.key')}`, IAM_LIMITS.managedPolicy, 'for a managed policy', shorten)}
  }
}
${moved}
# Each policy attached by a resource of its own, which detaches it on destroy: destroying the exclusive attachments
# below detaches nothing, and IAM deletes no policy or ${attachTo.identity} while it is attached.
resource "aws_iam_${attachTo.identity}_policy_attachment" "this" {
  for_each   = merge({ for key, policy in aws_iam_policy.query : "query-\${key}" => policy.arn }, { ${attachTo.otherPolicies.map((p) => `${p.split('.').pop()} = ${p}.arn`).join(', ')} })
  ${attachTo.identity.padEnd(10)} = ${attachTo.name}
  policy_arn = each.value
}

# The ${attachTo.identity}'s managed policies are exactly these: apply detaches any other attached by hand (its plan shows it).
resource "aws_iam_${attachTo.identity}_policy_attachments_exclusive" "this" {
  ${attachTo.identity}_name = ${attachTo.name}
  policy_arns = values(aws_iam_${attachTo.identity}_policy_attachment.this)[*].policy_arn
  lifecycle {
    precondition {
      condition     = ${total} <= ${QUOTA}
      error_message = ${literal(quotaMessage)}
    }
  }
}
`;
  const variables: Variable[] = [
    {
      name: 'query_policy_count',
      type: 'number',
      default: String(IAM_LIMITS.managedPoliciesPerIdentity - others),
      description: 'The managed policies the query permissions are split over (each list item goes to one by a hash of its name); '
        + 'raise it when a plan says a query policy is too large.',
      validations: [rangeBlock(queryPolicyCountRule(others), { variable: 'query_policy_count' })],
    },
    {
      name: 'max_managed_policies',
      type: 'number',
      default: String(IAM_LIMITS.managedPoliciesPerIdentity),
      description: `The account's quota of managed policies per ${attachTo.identity} (IAM's default, or the raised quota); the plan refuses more.`,
      validations: [rangeBlock(MANAGED_POLICY_QUOTA_RULE, { variable: 'max_managed_policies' })],
    },
  ];
  return { locals, resources, variables };
}
