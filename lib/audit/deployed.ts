import {
  GetGroupPolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, GetUserCommand,
  GetUserPolicyCommand, IAMClient, paginateListAttachedGroupPolicies, paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies, paginateListGroupPolicies, paginateListGroupsForUser, paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import { LakeFormationClient, paginateListPermissions } from '@aws-sdk/client-lakeformation';
import { AuditInputError } from './errors';
import { decodeDocument } from './normalize';
import { LakeFormationPermission, PrincipalPermissions, PrincipalPolicy } from './principal';

/**
 * Reads a deployed IAM role or access key user back through IAM and Lake Formation with the caller's credentials,
 * into the shape drift compares. Every call is a read the auditor's policy (lib/model/auditor-policy.ts) allows.
 *
 * IAM returns policy documents URL-encoded (RFC 3986): GetRole's AssumeRolePolicyDocument, GetRolePolicy's,
 * GetUserPolicy's, GetGroupPolicy's and GetPolicyVersion's Document
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html). They are decoded here.
 *
 * Lake Formation's ListPermissions refuses a Principal filter without a Resource ("Resource is mandatory if
 * Principal is set in the input"), and one resource at a time would miss grants added on other resources, so the
 * reader lists every grant the caller may see and keeps the principal's
 * (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html).
 *
 * What it cannot see: the organization's service control policies and resource control policies, and resource
 * policies (bucket policies, key policies, Glue catalog resource policies); see DEPLOYED_BLIND_SPOTS.
 */

/** What drift cannot read, for the report. */
export const DEPLOYED_BLIND_SPOTS: readonly string[] = [
  "the organization's service control policies (SCPs) and resource control policies (RCPs), which can deny what the policies allow",
  'resource policies: S3 bucket policies, KMS key policies, the Glue Data Catalog resource policy',
  'session policies and session tags the caller passes at AssumeRole',
];

/** The clients the reader calls; tests pass clients bound to an emulator. */
export interface DeployedClients {
  readonly iam: IAMClient;
  /** Absent: Lake Formation is not read (`--skip-lake-formation`). */
  readonly lakeFormation?: LakeFormationClient;
}

/** Which principal to read. */
export type DeployedPrincipalRef = { readonly roleArn: string } | { readonly userName: string };

/** The name of the role an ARN names: its last path segment (`arn:aws:iam::111122223333:role/path/name`). */
export function roleNameOf(roleArn: string): string {
  const match = /^arn:[\w-]+:iam::\d{12}:role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!match) {
    throw new AuditInputError(`--role-arn "${roleArn}" is not an IAM role ARN: expected arn:<partition>:iam::<account>:role/<name>, e.g. arn:aws:iam::111122223333:role/QualyticsAthena`);
  }
  return match[1];
}

/** Reads the principal's trust, boundary, identity policies and (with a Lake Formation client) its grants. */
export async function readDeployedPrincipal(ref: DeployedPrincipalRef, clients: DeployedClients): Promise<PrincipalPermissions> {
  const principal = 'roleArn' in ref ? await readRole(roleNameOf(ref.roleArn), clients.iam) : await readUser(ref.userName, clients.iam);
  if (!clients.lakeFormation) return principal;
  return { ...principal, lakeFormation: await readLakeFormation(principal.arn!, clients.lakeFormation) };
}

async function readRole(roleName: string, iam: IAMClient): Promise<PrincipalPermissions> {
  const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
  const inline: PrincipalPolicy[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) {
    for (const name of page.PolicyNames ?? []) {
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      inline.push({ kind: 'inline', source: name, document: decodeDocument(policy.PolicyDocument!) });
    }
  }
  const attached: PrincipalPolicy[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName })) {
    for (const policy of page.AttachedPolicies ?? []) attached.push(await managedPolicy(iam, policy.PolicyArn!, 'managed'));
  }
  const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    kind: 'role',
    name: role.RoleName,
    arn: role.Arn,
    trust: decodeDocument(role.AssumeRolePolicyDocument!),
    policies: [...inline, ...attached],
    permissionsBoundary: boundaryArn === undefined ? undefined : await managedPolicy(iam, boundaryArn, 'managed'),
  };
}

async function readUser(userName: string, iam: IAMClient): Promise<PrincipalPermissions> {
  const user = (await iam.send(new GetUserCommand({ UserName: userName }))).User!;
  const policies: PrincipalPolicy[] = [];
  for await (const page of paginateListUserPolicies({ client: iam }, { UserName: userName })) {
    for (const name of page.PolicyNames ?? []) {
      const policy = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
      policies.push({ kind: 'inline', source: name, document: decodeDocument(policy.PolicyDocument!) });
    }
  }
  for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
    for (const policy of page.AttachedPolicies ?? []) policies.push(await managedPolicy(iam, policy.PolicyArn!, 'managed'));
  }
  for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
    for (const group of page.Groups ?? []) policies.push(...await groupPolicies(iam, group.GroupName!));
  }
  const boundaryArn = user.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    kind: 'user',
    name: user.UserName,
    arn: user.Arn,
    policies,
    permissionsBoundary: boundaryArn === undefined ? undefined : await managedPolicy(iam, boundaryArn, 'managed'),
  };
}

async function groupPolicies(iam: IAMClient, groupName: string): Promise<PrincipalPolicy[]> {
  const policies: PrincipalPolicy[] = [];
  for await (const page of paginateListGroupPolicies({ client: iam }, { GroupName: groupName })) {
    for (const name of page.PolicyNames ?? []) {
      const policy = await iam.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name }));
      policies.push({ kind: 'group-inline', source: `${groupName}/${name}`, document: decodeDocument(policy.PolicyDocument!) });
    }
  }
  for await (const page of paginateListAttachedGroupPolicies({ client: iam }, { GroupName: groupName })) {
    for (const policy of page.AttachedPolicies ?? []) policies.push(await managedPolicy(iam, policy.PolicyArn!, 'group-managed', groupName));
  }
  return policies;
}

/** A managed policy's default version (`group`: the group it reaches the principal through): GetPolicy names it, GetPolicyVersion holds its document. */
export async function managedPolicy(iam: IAMClient, policyArn: string, kind: 'managed' | 'group-managed', group?: string): Promise<PrincipalPolicy> {
  const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy!;
  const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.DefaultVersionId! }))).PolicyVersion!;
  return { kind, source: group === undefined ? policyArn : `${group}/${policyArn}`, document: decodeDocument(version.Document!) };
}

/** Every grant the caller may see whose principal is `principalArn`. */
async function readLakeFormation(principalArn: string, lakeFormation: LakeFormationClient): Promise<LakeFormationPermission[]> {
  const grants: LakeFormationPermission[] = [];
  for await (const page of paginateListPermissions({ client: lakeFormation }, {})) {
    for (const grant of page.PrincipalResourcePermissions ?? []) {
      if (grant.Principal?.DataLakePrincipalIdentifier !== principalArn) continue;
      grants.push({
        resource: grant.Resource as Record<string, unknown>,
        permissions: grant.Permissions ?? [],
        permissionsWithGrantOption: grant.PermissionsWithGrantOption ?? [],
      });
    }
  }
  return grants;
}
