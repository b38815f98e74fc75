import { AthenaHost, parseAthenaHost } from '../../lib/runtime';
import { SettingValidationError } from '../../lib/runtime/errors';

describe('parseAthenaHost accepts canonical endpoints', () => {
  test.each([
    ['athena.us-east-1.amazonaws.com', 'us-east-1', 'aws'],
    ['athena.eu-central-2.amazonaws.com', 'eu-central-2', 'aws'],
    ['ATHENA.AP-SOUTHEAST-1.AMAZONAWS.COM', 'ap-southeast-1', 'aws'],
    ['athena.cn-north-1.amazonaws.com.cn', 'cn-north-1', 'aws-cn'],
    ['athena.cn-northwest-1.amazonaws.com.cn', 'cn-northwest-1', 'aws-cn'],
    ['athena.us-gov-west-1.amazonaws.com', 'us-gov-west-1', 'aws-us-gov'],
    ['athena.us-gov-east-1.amazonaws.com', 'us-gov-east-1', 'aws-us-gov'],
  ])('%s', (host, region, partition) => {
    expect(parseAthenaHost(host)).toEqual({ host: host.toLowerCase(), region, partition });
    expect(AthenaHost.parse(host).region).toBe(region);
  });
});

describe('parseAthenaHost refuses other hosts, saying why and what is expected', () => {
  test.each([
    ['', /empty/],
    ['athena.us-east-1.amazonaws.com ', /whitespace/],
    ['https://athena.us-east-1.amazonaws.com', /without a scheme/],
    ['jdbc:awsathena://athena.us-east-1.amazonaws.com', /without a scheme|without a path/],
    ['athena.us-east-1.amazonaws.com:443', /without a port/],
    ['athena.us-east-1.amazonaws.com/', /without a path/],
    ['athena.us-east-1.amazonaws.com/path?x=1', /without a path/],
    ['vpce-0a1b2c3d-abcd.athena.us-east-1.vpce.amazonaws.com', /VPC endpoint/],
    ['athena-fips.us-gov-west-1.amazonaws.com', /FIPS endpoints are not accepted/],
    ['athena.us-east-1.api.aws', /dual-stack/],
    ['athena.example.com', /custom DNS aliases/],
    ['athena.internal.corp', /custom DNS aliases/],
    ['athena.us-east-1.amazonaws.com.evil.com', /custom DNS aliases/],
    ['athena.us-east-1.amazonaws.co', /custom DNS aliases/],
    ['athena.us-east-1.amazonaws.com.', /custom DNS aliases/],
    ['xathena.us-east-1.amazonaws.com', /custom DNS aliases/],
    ['athena.us-east-1.evil-amazonaws.com', /custom DNS aliases/],
    ['athena.amazonaws.com', /custom DNS aliases/],
    ['glue.us-east-1.amazonaws.com', /custom DNS aliases/],
    ['athena.useast1.amazonaws.com', /not a region/],
    ['athena.us-iso-east-1.amazonaws.com', /not a region/],
    ['athena.cn-north-1.amazonaws.com', /partition aws-cn.*amazonaws\.com\.cn/],
    ['athena.us-east-1.amazonaws.com.cn', /partition aws,.*amazonaws\.com/],
  ])('%j', (host, why) => {
    expect(() => parseAthenaHost(host)).toThrow(SettingValidationError);
    try {
      parseAthenaHost(host);
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain(`Invalid host ${JSON.stringify(host)}`);
      expect(message).toMatch(why);
      expect(message).toContain('expected the canonical Athena endpoint athena.<region>.amazonaws.com');
    }
  });
});
