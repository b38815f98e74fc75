/**
 * The drift command against a real IAM and Lake Formation API (moto_server): a role deployed from a synthesized
 * template, then changed with the AWS CLI the way people change roles by hand. Each expected finding follows from
 * AWS's documentation, cited where it is asserted:
 * - an allow anywhere in the identity policies grants, an explicit deny overrides it, and a permissions boundary
 *   caps what the identity policies grant (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
 * - a managed policy's default version is the one in force (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html);
 * - a user holds the policies of its groups (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html);
 * - AdministratorAccess allows every action on every resource
 *   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html).
 * What moto does and does not emulate: test/audit/moto-deploy.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deployTemplate, resetMoto, Template } from './moto-deploy';
import { AccessMode, AthenaAccessKeyUser, AthenaTargetRole, AthenaTargetRoleProps } from '../../lib';
import { DEPLOYED_BLIND_SPOTS } from '../../lib/audit/deployed';
import { DriftReport } from '../../lib/audit/drift';
import { runCli } from '../../lib/cli';
import { Moto, startMoto } from '../support/moto';

jest.setTimeout(180_000);

const ACCOUNT = '111122223333';
const BASE_ROLE = 'arn:aws:iam::315179787488:role/acme-dataplane-role';
const EXTERNAL_ID = 'qualytics-acme-7f3c9e';
const ROLE_NAME = 'qualytics-drift';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;

let moto: Moto;
const aws = (...args: string[]): any => moto.aws(...args);
const directory = mkdtempSync(join(tmpdir(), 'drift-moto-'));
const saved = { ...process.env };

/** A synthesized stack (account, region concrete) as a template file, and its JSON. */
function synthesize(name: string, build: (stack: Stack) => void): { file: string; template: Template } {
  const stack = new Stack(new App(), 'Drift', { env: { account: ACCOUNT, region: 'us-east-1' } });
  build(stack);
  const template = CdkTemplate.fromStack(stack).toJSON() as Template;
  const file = join(directory, `${name}.template.json`);
  writeFileSync(file, JSON.stringify(template));
  return { file, template };
}

const TARGET_PROPS: AthenaTargetRoleProps = {
  trustedRoleArn: BASE_ROLE,
  externalId: EXTERNAL_ID,
  resultsBucketName: 'acme-results',
  accessMode: AccessMode.LAKE_FORMATION,
  glueDatabaseNames: ['sales', 'finance'],
  roleName: ROLE_NAME,
};

/** The approved template: a Lake Formation target role, so that grants exist. */
const approved = synthesize('approved', (stack) => new AthenaTargetRole(stack, 'Target', TARGET_PROPS));

/** Runs the drift command in-process; the SDK reaches moto through AWS_ENDPOINT_URL_IAM / _LAKEFORMATION. */
async function drift(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['drift', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function driftJson(...args: string[]): Promise<{ code: number; report: DriftReport }> {
  const { code, out, err } = await drift(...args, '--json');
  if (code === 2) throw new Error(`drift exited 2: ${err}`);
  return { code, report: JSON.parse(out) as DriftReport };
}

const kinds = (report: DriftReport) => report.findings.map((f) => f.kind).sort();

beforeAll(async () => {
  moto = await startMoto({ accountId: ACCOUNT, loadManagedPolicies: true });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IAM: moto.endpoint,
    AWS_ENDPOINT_URL_LAKEFORMATION: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
}, 180_000);
afterAll(() => {
  moto?.stop();
  process.env = saved;
});

describe('a role deployed from the approved template', () => {
  beforeEach(async () => {
    await resetMoto(moto);
    await deployTemplate(moto, approved.template);
  });

  test('a clean deploy matches: exit 0, no finding, Lake Formation compared, the blind spots listed', async () => {
    const { code, out } = await drift('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(out).toMatch(/^MATCHES {2}role arn:aws:iam::111122223333:role\/qualytics-drift/);
    expect(code).toBe(0);
    const { report } = await driftJson('--role-arn', ROLE_ARN, '--expected', approved.file);
    expect(report).toMatchObject({ drifted: false, findings: [], lakeFormationCompared: true, notVisible: DEPLOYED_BLIND_SPOTS });
  });
});
