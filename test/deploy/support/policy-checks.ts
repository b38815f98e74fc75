import { runSimulation } from '@cloud-copilot/iam-simulate';

const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
};

/** Whether IAM would allow `action` on `resource` to an identity holding `policies` (same account). */
export async function decision(policies: any[], action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
  const result = await runSimulation({
    request: {
      principal: 'arn:aws:iam::111122223333:role/qualytics-athena-access',
      action,
      resource: { resource, accountId: '111122223333' },
      contextVariables: context,
    },
    identityPolicies: policies.map((policy, index) => ({ name: `Part${index + 1}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // A KMS key is usable only when its key policy allows it: the default key policy defers to IAM.
    resourcePolicy: action.startsWith('kms:') ? DEFAULT_KEY_POLICY : undefined,
  }, {});
  if (result.resultType === 'error') throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** Characters of a policy document as IAM counts them (JSON without whitespace). */
export function policyLength(document: unknown): number {
  return JSON.stringify(document).length;
}

/** Statements by Sid with Action and Resource as sorted sets, for comparing two policies' permissions. */
export function permissionsBySid(documents: any[]): Record<string, { Effect: string; Action: string[]; Resource: string[]; Condition?: unknown }> {
  const asArray = (v: unknown): string[] => (Array.isArray(v) ? v : [v as string]);
  const result: Record<string, any> = {};
  for (const statement of documents.flatMap((d) => d.Statement)) {
    const existing = result[statement.Sid];
    result[statement.Sid] = {
      Effect: statement.Effect,
      Action: [...new Set([...(existing?.Action ?? []), ...asArray(statement.Action)])].sort(),
      Resource: [...new Set([...(existing?.Resource ?? []), ...asArray(statement.Resource)])].sort(),
      ...(statement.Condition ? { Condition: statement.Condition } : {}),
    };
  }
  return result;
}
