import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { cfnString } from './deploy-time-tokens';
import { StatementSpec } from '../../model/statement-spec';

/**
 * Acknowledges, one finding at a time, the cdk-nag `AwsSolutions-IAM5` findings for the wildcard resources
 * this library emits on purpose. Each acknowledgment names the exact resource (as cdk-nag flattens it) and
 * says why the wildcard is the narrowest scope IAM allows, so any other wildcard still surfaces.
 */
export function acknowledgeWildcardResources(scope: IConstruct, statements: StatementSpec[]): void {
  const stack = Stack.of(scope);
  const findings = new Map<string, Set<string>>();
  for (const statement of statements.filter((s) => s.effect === 'Allow')) {
    // A wildcard is always literal text in this library's ARNs, so only those resources need resolving.
    for (const resource of statement.resources.filter((r) => r.includes('*')).map((r) => flatten(stack.resolve(cfnString(r))))) {
      if (statement.wildcardReason === undefined) {
        throw new Error(`Statement ${statement.sid} has the wildcard resource ${resource} but no reason for it`);
      }
      const id = `AwsSolutions-IAM5[Resource::${resource}]`;
      findings.set(id, (findings.get(id) ?? new Set()).add(statement.wildcardReason));
    }
  }
  if (findings.size === 0) return;
  // One metadata entry holds every finding of this construct, each with its own id and reason. It is the entry
  // `Validations.acknowledge()` records, which cdk-nag reads id by id, but acknowledge() also captures a stack
  // trace per finding: with hundreds of databases that was a quarter of synth time.
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
    Object.fromEntries([...findings].map(([id, reasons]) => [id, [...reasons].join(' ')])));
}

/** cdk-nag's flattened form of a resolved CloudFormation value: `Ref` and `Fn::GetAtt` become `<...>`. */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const value = node as Record<string, any>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'];
    return (items as unknown[]).map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) return `<${flatten(value['Fn::GetAtt'][0])}.${flatten(value['Fn::GetAtt'][1])}>`;
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
