/**
 * Deploys the IAM principals and Lake Formation grants of a synthesized template to moto_server (moto 5.2.1, an
 * AWS API emulator: test/support/moto.ts) with the AWS SDK v3, call by call, as CloudFormation would create them:
 *
 * - AWS::IAM::Role: CreateRole with the trust policy, then AttachRolePolicy for each of `ManagedPolicyArns`,
 *   PutRolePolicy for each of `Policies`, PutRolePermissionsBoundary for `PermissionsBoundary`
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html);
 * - AWS::IAM::User and AWS::IAM::Group likewise (CreateUser, CreateGroup, AddUserToGroup for the user's `Groups`);
 * - AWS::IAM::ManagedPolicy: CreatePolicy, then attached to each of its `Roles`, `Users` and `Groups`
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html);
 *   `Ref` returns its ARN, a role's, user's or group's `Ref` its name, `Fn::GetAtt [x, Arn]` its ARN;
 * - AWS::LakeFormation::PrincipalPermissions: GrantPermissions with its Catalog, Principal, Resource and
 *   permissions (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-principalpermissions.html),
 *   made by a data lake administrator (PutDataLakeSettings names the caller first: only an administrator, or a
 *   holder of the grant option, may grant, https://docs.aws.amazon.com/lake-formation/latest/dg/lake-formation-permissions.html).
 *
 * A name the template leaves out is generated as `<stack>-<logical id>` (CloudFormation adds a random suffix). Other resource
 * types (KMS keys, secrets, access keys) hold no permission of the principal and are skipped. The template's
 * intrinsic functions are resolved here, independently of lib/audit: `Ref` (resources and AWS::Partition,
 * AWS::AccountId, AWS::Region, AWS::URLSuffix), `Fn::GetAtt [..., Arn]`, `Fn::Join`; anything else throws.
 *
 * What moto does and does not do, from its source (https://github.com/getmoto/moto, moto/iam/responses.py,
 * moto/lakeformation/models.py and responses.py at 5.2.1), against AWS's documentation:
 * - IAM: GetRole's AssumeRolePolicyDocument and GetRolePolicy's, GetUserPolicy's, GetGroupPolicy's
 *   PolicyDocument come back URL-encoded as AWS documents (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html),
 *   but GetPolicyVersion's Document comes back as plain JSON, where AWS URL-encodes it too
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html). The reader must take both.
 * - IAM checks no permission and no policy grammar beyond JSON: it shows what is stored and read back, never
 *   what a policy allows (test/support/simulate.ts decides that).
 * - Lake Formation: ListPermissions refuses a Principal without a Resource with AWS's own message ("Resource is
 *   mandatory if Principal is set in the input"); it returns grants as they were granted, merged per principal
 *   and resource, without expanding ALL or folding a table wildcard (AWS returns SELECT on all tables as
 *   `TableWithColumns` with a `ColumnWildcard`, https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html);
 *   it has no pagination; it does not check that the granter is a data lake administrator, nor that the
 *   database exists; RevokePermissions matches the resource exactly as granted.
 */
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateGroupCommand,
  CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutGroupPolicyCommand, PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GrantPermissionsCommand, LakeFormationClient, PutDataLakeSettingsCommand } from '@aws-sdk/client-lakeformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Moto } from '../support/moto';

/** A synthesized template (its `Resources` only are read). */
export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };

/** What the deploy created, by logical id: the physical name and ARN. */
export type Deployed = Record<string, { name: string; arn: string }>;

/** SDK clients bound to moto, with fake credentials. */
export function motoClients(moto: Moto): { iam: IAMClient; lakeFormation: LakeFormationClient; sts: STSClient } {
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return { iam: new IAMClient(config), lakeFormation: new LakeFormationClient(config), sts: new STSClient(config) };
}

/** Clears every resource moto holds (https://docs.getmoto.org/en/latest/docs/server_mode.html#reset-api). */
export async function resetMoto(moto: Moto): Promise<void> {
  const response = await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset: HTTP ${response.status}`);
}

const ARN_TYPES: Record<string, string> = { 'AWS::IAM::Role': 'role', 'AWS::IAM::User': 'user', 'AWS::IAM::Group': 'group', 'AWS::IAM::ManagedPolicy': 'policy' };

/** Deploys `template`'s principals, policies and grants as stack `stackName`; returns what it created. */
export async function deployTemplate(moto: Moto, template: Template, stackName = 'Drift'): Promise<Deployed> {
  const { iam, lakeFormation, sts } = motoClients(moto);
  const resources = Object.entries(template.Resources);
  const deployed: Deployed = {};
  for (const [id, resource] of resources) {
    const type = ARN_TYPES[resource.Type];
    if (type === undefined) continue;
    const props = resource.Properties ?? {};
    const name = props.RoleName ?? props.UserName ?? props.GroupName ?? props.ManagedPolicyName ?? `${stackName}-${id}`;
    const path = props.Path ?? '/';
    deployed[id] = { name, arn: `arn:aws:iam::${moto.accountId}:${type}${path}${name}` };
  }
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': moto.accountId, 'AWS::Region': 'us-east-1', 'AWS::URLSuffix': 'amazonaws.com' };
  const resolve = (value: any): any => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const [key] = Object.keys(value);
    if (key === 'Ref') {
      const ref = pseudo[value.Ref] ?? (template.Resources[value.Ref]?.Type === 'AWS::IAM::ManagedPolicy' ? deployed[value.Ref]?.arn : deployed[value.Ref]?.name);
      if (ref === undefined) throw new Error(`deployTemplate: cannot resolve Ref ${value.Ref}`);
      return ref;
    }
    if (key === 'Fn::GetAtt') {
      const [target, attribute] = value[key];
      if (attribute !== 'Arn' || deployed[target] === undefined) throw new Error(`deployTemplate: cannot resolve Fn::GetAtt ${target}.${attribute}`);
      return deployed[target].arn;
    }
    if (key === 'Fn::Join') return (resolve(value[key][1]) as string[]).join(value[key][0]);
    if (key?.startsWith('Fn::')) throw new Error(`deployTemplate: ${key} is not resolved here`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  };
  const json = (document: unknown) => JSON.stringify(resolve(document));
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}] as const);
  const nameOf = (id: string) => deployed[id].name;

  for (const [id, p] of ofType('AWS::IAM::Group')) await iam.send(new CreateGroupCommand({ GroupName: nameOf(id), Path: p.Path }));
  for (const [id, p] of ofType('AWS::IAM::User')) {
    await iam.send(new CreateUserCommand({ UserName: nameOf(id), Path: p.Path }));
    for (const group of resolve(p.Groups ?? [])) await iam.send(new AddUserToGroupCommand({ UserName: nameOf(id), GroupName: group }));
  }
  for (const [id, p] of ofType('AWS::IAM::Role')) {
    await iam.send(new CreateRoleCommand({
      RoleName: nameOf(id),
      Path: p.Path,
      AssumeRolePolicyDocument: json(p.AssumeRolePolicyDocument),
      MaxSessionDuration: p.MaxSessionDuration,
      Description: p.Description,
    }));
  }
  for (const [id, p] of ofType('AWS::IAM::ManagedPolicy')) {
    await iam.send(new CreatePolicyCommand({
      PolicyName: nameOf(id), Path: p.Path, PolicyDocument: json(p.PolicyDocument), Description: p.Description,
    }));
    const PolicyArn = deployed[id].arn;
    for (const RoleName of resolve(p.Roles ?? [])) await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }));
    for (const UserName of resolve(p.Users ?? [])) await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn }));
    for (const GroupName of resolve(p.Groups ?? [])) await iam.send(new AttachGroupPolicyCommand({ GroupName, PolicyArn }));
  }
  for (const [id, p] of [...ofType('AWS::IAM::Role'), ...ofType('AWS::IAM::User'), ...ofType('AWS::IAM::Group')]) {
    const kind = template.Resources[id].Type;
    for (const PolicyArn of resolve(p.ManagedPolicyArns ?? [])) {
      if (kind === 'AWS::IAM::Role') await iam.send(new AttachRolePolicyCommand({ RoleName: nameOf(id), PolicyArn }));
      else if (kind === 'AWS::IAM::User') await iam.send(new AttachUserPolicyCommand({ UserName: nameOf(id), PolicyArn }));
      else await iam.send(new AttachGroupPolicyCommand({ GroupName: nameOf(id), PolicyArn }));
    }
    for (const inline of p.Policies ?? []) await putInline(iam, kind, nameOf(id), inline.PolicyName, json(inline.PolicyDocument));
    if (p.PermissionsBoundary !== undefined) {
      const PermissionsBoundary = resolve(p.PermissionsBoundary);
      if (kind === 'AWS::IAM::Role') await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: nameOf(id), PermissionsBoundary }));
      else await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: nameOf(id), PermissionsBoundary }));
    }
  }
  for (const [, p] of ofType('AWS::IAM::Policy')) {
    for (const RoleName of resolve(p.Roles ?? [])) await putInline(iam, 'AWS::IAM::Role', RoleName, p.PolicyName, json(p.PolicyDocument));
    for (const UserName of resolve(p.Users ?? [])) await putInline(iam, 'AWS::IAM::User', UserName, p.PolicyName, json(p.PolicyDocument));
    for (const GroupName of resolve(p.Groups ?? [])) await putInline(iam, 'AWS::IAM::Group', GroupName, p.PolicyName, json(p.PolicyDocument));
  }
  const grants = ofType('AWS::LakeFormation::PrincipalPermissions');
  if (grants.length > 0) {
    const caller = (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
    await lakeFormation.send(new PutDataLakeSettingsCommand({ DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: caller }] } }));
  }
  for (const [, p] of grants) {
    const grant = resolve(p);
    await lakeFormation.send(new GrantPermissionsCommand({
      CatalogId: grant.Catalog,
      Principal: grant.Principal,
      Resource: grant.Resource,
      Permissions: grant.Permissions,
      PermissionsWithGrantOption: grant.PermissionsWithGrantOption,
    }));
  }
  if (resources.some(([, r]) => r.Type === 'AWS::LakeFormation::Permissions')) throw new Error('deployTemplate: AWS::LakeFormation::Permissions is not deployed here');
  [iam, lakeFormation, sts].forEach((client) => client.destroy());
  return deployed;
}

async function putInline(iam: IAMClient, kind: string, name: string, PolicyName: string, PolicyDocument: string): Promise<void> {
  if (kind === 'AWS::IAM::Role') await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName, PolicyDocument }));
  else if (kind === 'AWS::IAM::User') await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName, PolicyDocument }));
  else await iam.send(new PutGroupPolicyCommand({ GroupName: name, PolicyName, PolicyDocument }));
}
