import { SettingValidationError } from './errors';
import { partitionOf } from '../model/partition';

/** The Athena endpoint a connection's Host names. */
export interface AthenaEndpoint {
  /** The host, lower-cased, e.g. `athena.us-east-1.amazonaws.com`. */
  readonly host: string;
  /** The region, e.g. `us-east-1`. */
  readonly region: string;
  /** The partition: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
}

const EXPECTED = 'expected the canonical Athena endpoint athena.<region>.amazonaws.com '
  + '(athena.<region>.amazonaws.com.cn in China), e.g. athena.us-east-1.amazonaws.com';
const CANONICAL = /^athena\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?)$/;

/**
 * Checks a connection's Host and returns its region and partition.
 *
 * Only the canonical regional endpoint is accepted, as the product requires: `athena.<region>.amazonaws.com`
 * (aws and aws-us-gov) or `athena.<region>.amazonaws.com.cn` (aws-cn). Host names are case-insensitive and
 * returned lower-cased. Refused, each with its own message: schemes, ports and paths; VPC endpoint names
 * (`vpce-...`); FIPS (`athena-fips.<region>...`) and dual-stack (`...api.aws`) endpoints, because the connection
 * names the canonical endpoint and FIPS is chosen in the driver's own settings; custom DNS aliases and
 * look-alike suffixes.
 */
export function parseAthenaHost(host: string): AthenaEndpoint {
  const value = host.toLowerCase();
  const fail = (problem: string): never => {
    throw new SettingValidationError('host', host, `${problem}; ${EXPECTED}`);
  };
  if (value.trim() === '') {
    fail('the host is empty');
  }
  if (/\s/.test(value)) {
    fail('the host contains whitespace');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(value)) {
    fail('give the host name only, without a scheme such as https://');
  }
  if (/[/?#]/.test(value)) {
    fail('give the host name only, without a path');
  }
  if (/:\d*$/.test(value)) {
    fail('give the host name only, without a port');
  }
  if (/(^|\.)vpce-/.test(value)) {
    fail('VPC endpoint (vpce-...) host names are not supported');
  }
  if (value.startsWith('athena-fips.')) {
    fail('FIPS endpoints are not accepted as the Host; enable FIPS in the driver settings instead');
  }
  if (value.endsWith('.api.aws')) {
    fail('dual-stack (api.aws) endpoints are not supported');
  }
  const match = CANONICAL.exec(value);
  if (!match) {
    fail('custom DNS aliases and other host names are not supported');
  }
  const [, region, suffix] = match!;
  const partition = partitionOf(region);
  if (!partition) {
    return fail(`"${region}" is not a region of the aws, aws-cn or aws-us-gov partition`);
  }
  if (partition.dnsSuffix !== suffix) {
    fail(`region ${region} is in partition ${partition.partition}, whose endpoints end in .${partition.dnsSuffix}`);
  }
  return { host: value, region, partition: partition.partition };
}

/** Host checks for jsii languages, where free functions are not available. */
export class AthenaHost {
  /** See `parseAthenaHost`: the region and partition of a canonical Athena endpoint; throws otherwise. */
  public static parse(host: string): AthenaEndpoint {
    return parseAthenaHost(host);
  }

  private constructor() {}
}
