import {
  AthenaConnectionSettings, AthenaConnectionSettingsProps, AthenaJdbcOptions, AuthenticationType, DeploymentPlatform, SettingProblem,
} from '../../lib/runtime';

const HOST = 'athena.us-east-1.amazonaws.com';
const ACCESS_KEY: AthenaConnectionSettingsProps = {
  host: HOST,
  authenticationType: AuthenticationType.ACCESS_KEY,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const IAM_ROLE: AthenaConnectionSettingsProps = {
  host: HOST,
  authenticationType: AuthenticationType.IAM_ROLE,
  roleArn: 'arn:aws:iam::123456789012:role/QualyticsAthena',
  externalId: 'qualytics-tenant-7f3a',
};

function fields(problems: SettingProblem[]): string[] {
  return problems.map((p) => p.field);
}

test.each([
  [DeploymentPlatform.AWS, [AuthenticationType.ACCESS_KEY, AuthenticationType.IAM_ROLE]],
  [DeploymentPlatform.LOCAL, [AuthenticationType.ACCESS_KEY, AuthenticationType.IAM_ROLE]],
  [DeploymentPlatform.AZURE, [AuthenticationType.ACCESS_KEY]],
  [DeploymentPlatform.GCP, [AuthenticationType.ACCESS_KEY]],
])('%s deployments offer %j', (platform, types) => {
  expect(AthenaConnectionSettings.authenticationTypesFor(platform)).toEqual(types);
});

describe('valid settings have no problems', () => {
  test.each<[string, AthenaConnectionSettingsProps, DeploymentPlatform]>([
    ['access key on AWS', ACCESS_KEY, DeploymentPlatform.AWS],
    ['access key on Azure', ACCESS_KEY, DeploymentPlatform.AZURE],
    ['access key on GCP', ACCESS_KEY, DeploymentPlatform.GCP],
    ['IAM role on AWS', IAM_ROLE, DeploymentPlatform.AWS],
    ['IAM role on a local deployment', IAM_ROLE, DeploymentPlatform.LOCAL],
    ['IAM role without External ID', { ...IAM_ROLE, externalId: undefined }, DeploymentPlatform.AWS],
    ['IAM role in GovCloud', { ...IAM_ROLE, host: 'athena.us-gov-west-1.amazonaws.com', roleArn: 'arn:aws-us-gov:iam::123456789012:role/x' }, DeploymentPlatform.AWS],
  ])('%s', (_name, settings, platform) => {
    expect(AthenaConnectionSettings.validate(settings, platform)).toEqual([]);
  });
});

describe('invalid settings report every problem, field by field', () => {
  test.each<[string, AthenaConnectionSettingsProps, DeploymentPlatform, Array<[string, RegExp]>]>([
    ['IAM role on Azure', IAM_ROLE, DeploymentPlatform.AZURE, [['authenticationType', /IAM_ROLE authentication is not offered on AZURE deployments; expected ACCESS_KEY/]]],
    ['IAM role on GCP', IAM_ROLE, DeploymentPlatform.GCP, [['authenticationType', /not offered on GCP/]]],
    ['access key without key or secret', { host: HOST, authenticationType: AuthenticationType.ACCESS_KEY }, DeploymentPlatform.AWS,
      [['accessKeyId', /required for ACCESS_KEY/], ['secretAccessKey', /required for ACCESS_KEY/]]],
    ['empty access key id', { ...ACCESS_KEY, accessKeyId: '' }, DeploymentPlatform.AWS, [['accessKeyId', /required/]]],
    ['temporary access key', { ...ACCESS_KEY, accessKeyId: 'ASIAIOSFODNN7EXAMPLE' }, DeploymentPlatform.AWS,
      [['accessKeyId', /"ASIAIOSFODNN7EXAMPLE": expected an IAM user access key id.*ASIA keys/]]],
    ['short secret', { ...ACCESS_KEY, secretAccessKey: 'tooshort' }, DeploymentPlatform.AWS,
      [['secretAccessKey', /^\(8 characters, not shown\): expected the 40-character secret/]]],
    ['role fields in access key mode', { ...ACCESS_KEY, roleArn: IAM_ROLE.roleArn, externalId: 'abc' }, DeploymentPlatform.AWS,
      [['roleArn', /not used with ACCESS_KEY/], ['externalId', /not used with ACCESS_KEY/]]],
    ['IAM role without role ARN', { host: HOST, authenticationType: AuthenticationType.IAM_ROLE }, DeploymentPlatform.AWS,
      [['roleArn', /required for IAM_ROLE/]]],
    ['user ARN as role', { ...IAM_ROLE, roleArn: 'arn:aws:iam::123456789012:user/alice' }, DeploymentPlatform.AWS,
      [['roleArn', /"arn:aws:iam::123456789012:user\/alice": this is an IAM user ARN, not a role/]]],
    ['bad External ID', { ...IAM_ROLE, externalId: 'a b' }, DeploymentPlatform.AWS, [['externalId', /"a b": expected 2-1,224 characters/]]],
    ['key fields in IAM role mode', { ...IAM_ROLE, accessKeyId: ACCESS_KEY.accessKeyId, secretAccessKey: 'x' }, DeploymentPlatform.AWS,
      [['accessKeyId', /not used with IAM_ROLE/], ['secretAccessKey', /not used with IAM_ROLE/]]],
    ['everything wrong at once', { host: 'https://athena.example.com', authenticationType: AuthenticationType.IAM_ROLE, roleArn: 'role', externalId: 'x' },
      DeploymentPlatform.GCP, [
        ['host', /"https:\/\/athena.example.com": give the host name only, without a scheme/],
        ['authenticationType', /not offered on GCP/],
        ['roleArn', /expected an IAM role ARN/],
        ['externalId', /2-1,224 characters/],
      ]],
  ])('%s', (_name, settings, platform, expected) => {
    const problems = AthenaConnectionSettings.validate(settings, platform);
    expect(fields(problems)).toEqual(expected.map(([field]) => field));
    expected.forEach(([, message], i) => expect(problems[i].message).toMatch(message));
  });
});

// Parameter names from AWS's JDBC 3.x pages: basic parameters (Region, WorkGroup, OutputLocation),
// https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-basic-connection-parameters.html; profile credentials
// (CredentialsProvider=ProfileCredentials, ProfileName),
// https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-aws-configuration-profile-credentials.html; IAM
// credentials (User, Password), https://docs.aws.amazon.com/athena/latest/ug/jdbc-v3-driver-iam-credentials.html
describe('JDBC v3 connection', () => {
  test('IAM Role: the driver reads the role from an AWS config profile; no properties, nothing secret', () => {
    const jdbc = AthenaConnectionSettings.jdbc(IAM_ROLE, DeploymentPlatform.AWS, { workGroup: 'analytics', profileName: 'qualytics-7f3a' });
    expect(jdbc.url).toBe('jdbc:athena://Region=us-east-1;WorkGroup=analytics;CredentialsProvider=ProfileCredentials;ProfileName=qualytics-7f3a');
    expect(jdbc.properties).toEqual({});
    expect(jdbc.toString()).toBe(jdbc.url);
  });

  test('IAM Role defaults: workgroup primary, profile qualytics-athena, region from the host', () => {
    const jdbc = AthenaConnectionSettings.jdbc({ ...IAM_ROLE, host: 'athena.eu-central-1.amazonaws.com' }, DeploymentPlatform.LOCAL);
    expect(jdbc.url).toBe('jdbc:athena://Region=eu-central-1;WorkGroup=primary;CredentialsProvider=ProfileCredentials;ProfileName=qualytics-athena');
  });

  test('OutputLocation is set only when given (omitted when the workgroup manages results)', () => {
    const jdbc = AthenaConnectionSettings.jdbc(IAM_ROLE, DeploymentPlatform.AWS, { outputLocation: 's3://acme-results/qualytics/' });
    expect(jdbc.url).toContain(';OutputLocation=s3://acme-results/qualytics/;');
  });

  test('Access Key: user and password go in the properties, never in the URL; toString masks them', () => {
    const jdbc = AthenaConnectionSettings.jdbc(ACCESS_KEY, DeploymentPlatform.AZURE, { workGroup: 'analytics' });
    expect(jdbc.url).toBe('jdbc:athena://Region=us-east-1;WorkGroup=analytics');
    expect(jdbc.properties).toEqual({ User: ACCESS_KEY.accessKeyId, Password: ACCESS_KEY.secretAccessKey });
    const shown = jdbc.toString();
    expect(shown).toBe('jdbc:athena://Region=us-east-1;WorkGroup=analytics (properties: User=****MPLE, Password=****)');
    expect(shown).not.toContain(ACCESS_KEY.secretAccessKey);
    expect(`${jdbc}`).not.toContain(ACCESS_KEY.accessKeyId);
  });

  test.each<[string, AthenaConnectionSettingsProps, AthenaJdbcOptions, RegExp]>([
    ['a bad workgroup', IAM_ROLE, { workGroup: 'a;b' }, /workGroup "a;b": A workgroup name is 1 to 128 characters/],
    ['an output location that is not s3://', IAM_ROLE, { outputLocation: 'https://bucket/x' }, /outputLocation "https:\/\/bucket\/x": expected an S3 URI/],
    ['an output location with ";"', IAM_ROLE, { outputLocation: 's3://bucket/a;User=x' }, /outputLocation .*without ";"/],
    ['a profile name with a space', IAM_ROLE, { profileName: 'my profile' }, /profileName "my profile": expected 1-128 characters/],
    ['IAM Role on GCP', IAM_ROLE, {}, /authenticationType IAM_ROLE authentication is not offered on GCP/],
  ])('%s is refused', (_name, settings, options, expected) => {
    const platform = _name.includes('GCP') ? DeploymentPlatform.GCP : DeploymentPlatform.AWS;
    expect(() => AthenaConnectionSettings.jdbc(settings, platform, options)).toThrow(expected);
  });

  test('errors never show the secret access key', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE!';
    let message = '';
    try {
      AthenaConnectionSettings.jdbc({ ...ACCESS_KEY, secretAccessKey: secret }, DeploymentPlatform.AWS, { workGroup: 'bad name' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid Athena connection settings: secretAccessKey \(40 characters, not shown\).*; workGroup "bad name"/);
    expect(message).not.toContain(secret);
  });
});
