import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The IAM identities whose names the constructs take; each kind has names of its own. */
export type IamNameKind = 'role' | 'user';

/** What a construct that names an IAM identity records, found by walking its app's construct tree. */
interface IamNameClaim {
  readonly kind: IamNameKind;
  readonly name: string;
  /** The property that sets the name, for the error. */
  readonly property: string;
}

/** Where a construct keeps its claim: a symbol shared by every copy of the library loaded in one app. */
const CLAIM = Symbol.for('qualytics-athena-iam.IamNameClaim');

function claimOf(construct: IConstruct): IamNameClaim | undefined {
  return (construct as unknown as Record<symbol, IamNameClaim | undefined>)[CLAIM];
}

/** The account a stack deploys to, or `undefined` for a stack whose account is known only at deploy time. */
function accountOf(construct: IConstruct): string | undefined {
  const account = Stack.of(construct).account;
  return Token.isUnresolved(account) ? undefined : account;
}

/**
 * Records that `owner` creates an IAM `kind` named `name`, and makes synth refuse the app when another construct of
 * the same app names a `kind` the same in the same account: IAM names are unique per account whatever the path or
 * Region, and not case-sensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so
 * the second stack to deploy would fail. Only stacks whose accounts are known at synth are compared: an app often
 * holds environment-agnostic stacks that are alternatives, deployed to different accounts or never side by side,
 * and nothing at synth says which. The claim lives on the construct and is found through the app's tree, so nothing
 * outlives the app. A name known only at deploy time claims nothing.
 */
export function claimIamName(owner: IConstruct, kind: IamNameKind, name: string | undefined, property: string): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const claim: IamNameClaim = { kind, name, property };
  Object.defineProperty(owner, CLAIM, { value: claim });
  owner.node.addValidation({
    validate: () => {
      const account = accountOf(owner);
      if (account === undefined) return [];
      // Each clash is reported once, on the construct found later in the tree, naming the earlier one.
      const all = owner.node.root.node.findAll();
      const earlier = all.slice(0, all.indexOf(owner));
      const clash = earlier.find((other) => {
        const theirs = claimOf(other);
        return theirs !== undefined && theirs.kind === kind && theirs.name.toLowerCase() === name.toLowerCase() && accountOf(other) === account;
      });
      if (clash === undefined) return [];
      return [`${owner.node.path} and ${clash.node.path} both create the IAM ${kind} "${name}" (${property}) in account ${account}: IAM ${kind} names are ` +
        'unique in an account whatever their path or Region, and not case-sensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), ' +
        `so the second stack to deploy would fail. Give one of them a ${property} of its own.`];
    },
  });
}
