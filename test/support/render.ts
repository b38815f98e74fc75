import { Template } from 'aws-cdk-lib/assertions';

/**
 * Renders CloudFormation intrinsics symbolically, so assertions read like ARNs:
 * `{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ...]] }` becomes `arn:${AWS::Partition}:...`.
 */
export function render(value: any): any {
  if (Array.isArray(value)) return value.map(render);
  if (value === null || typeof value !== 'object') return value;
  if ('Ref' in value) return `\${${value.Ref}}`;
  if ('Fn::GetAtt' in value) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return render(parts).join(separator);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]));
}

/** A statement as rendered, with Action and Resource always arrays. */
export interface RenderedStatement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const asArray = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);

/** The statements of every managed policy in a template, in order, one list per policy. */
export function managedPolicyStatements(template: Template): RenderedStatement[][] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((policy: any) =>
    render(policy.Properties.PolicyDocument.Statement).map((s: any) => ({ ...s, Action: asArray(s.Action), Resource: asArray(s.Resource) })));
}

/**
 * The permissions of all managed policies by Sid, with the resources of a statement split across policies
 * joined again in order.
 */
export function statementsBySid(template: Template): Record<string, RenderedStatement> {
  const bySid: Record<string, RenderedStatement> = {};
  for (const statement of managedPolicyStatements(template).flat()) {
    const seen = bySid[statement.Sid];
    bySid[statement.Sid] = seen ? { ...seen, Resource: [...seen.Resource, ...statement.Resource] } : statement;
  }
  return bySid;
}
