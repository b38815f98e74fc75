import { FakeHttpServer, RecordedRequest, Reply, signingAccessKey } from './http-fake';
import { IClock } from '../../../lib/runtime';

/** The parameters of one AssumeRole call the fake received. */
export interface AssumeRoleCall {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalId?: string;
  readonly durationSeconds?: number;
  readonly signedWith?: string;
}

/** Credentials the fake issued. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly sessionToken: string;
}

/** An STS error the fake answers with. */
export interface StsErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

/** Base credentials the fake accepts. */
export const BASE_CREDENTIALS = { accessKeyId: 'AKIABASEEXAMPLE00001', secretAccessKey: 'base-secret' };

/**
 * Just enough of STS's query protocol for AssumeRole: checks the caller's signature key, the role, and the
 * External ID against a trust policy, issues numbered credentials expiring `DurationSeconds` after the clock's now.
 */
export class FakeSts {
  /** Every AssumeRole call, parsed. */
  public readonly calls: AssumeRoleCall[] = [];
  /** Every set of credentials issued. */
  public readonly issued: IssuedCredentials[] = [];
  /** Roles that exist. */
  public readonly roles = new Set<string>();
  /** External ID the trust policy requires (`StringEquals sts:ExternalId`), if any. */
  public requiredExternalId?: string;
  /**
   * The trust policy says `StringLike sts:ExternalId "*"`: any External ID passes, a missing one fails, because
   * a condition on a key absent from the request is false
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
   */
  public anyExternalId = false;
  /** Caps the lifetime of issued sessions, like role chaining does. */
  public maxLifetimeSeconds = 43_200;
  /** The server; use it to inject transport faults. */
  public readonly http = new FakeHttpServer((request) => this.handle(request));
  private readonly scripted: Array<StsErrorReply | null> = [];
  private requestCount = 0;

  constructor(private readonly clock: IClock) {}

  /** Answers the next AssumeRole calls with these errors, one each; `null` answers that call normally. */
  public failNext(...errors: Array<StsErrorReply | null>): void {
    this.scripted.push(...errors);
  }

  /** Forgets calls, issued credentials, scripted errors and trust settings between tests. */
  public reset(): void {
    this.calls.length = 0;
    this.issued.length = 0;
    this.scripted.length = 0;
    this.roles.clear();
    this.requiredExternalId = undefined;
    this.anyExternalId = false;
    this.maxLifetimeSeconds = 43_200;
    this.requestCount = 0;
    this.http.reset();
  }

  private handle(request: RecordedRequest): Reply {
    const params = new URLSearchParams(request.body);
    const requestId = `sts-request-${++this.requestCount}`;
    if (params.get('Action') !== 'AssumeRole') {
      return stsError(requestId, { status: 400, code: 'InvalidAction', message: `Unsupported action ${params.get('Action')}` });
    }
    const call: AssumeRoleCall = {
      roleArn: params.get('RoleArn') ?? '',
      roleSessionName: params.get('RoleSessionName') ?? '',
      externalId: params.get('ExternalId') ?? undefined,
      durationSeconds: params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : undefined,
      signedWith: signingAccessKey(request),
    };
    this.calls.push(call);
    const scripted = this.scripted.shift();
    if (scripted) {
      return stsError(requestId, scripted);
    }
    if (call.signedWith !== BASE_CREDENTIALS.accessKeyId) {
      return stsError(requestId, { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    }
    const externalIdRefused = (this.requiredExternalId !== undefined && call.externalId !== this.requiredExternalId)
      || (this.anyExternalId && call.externalId === undefined);
    if (!this.roles.has(call.roleArn) || externalIdRefused) {
      return stsError(requestId, {
        status: 403,
        code: 'AccessDenied',
        message: `User: arn:aws:iam::111111111111:role/base is not authorized to perform: sts:AssumeRole on resource: ${call.roleArn}`,
      });
    }
    return this.issue(requestId, call);
  }

  private issue(requestId: string, call: AssumeRoleCall): Reply {
    const n = this.issued.length + 1;
    const credentials = { accessKeyId: `ASIAFAKE${String(n).padStart(12, '0')}`, sessionToken: `session-token-${n}` };
    this.issued.push(credentials);
    const lifetime = Math.min(call.durationSeconds ?? 3600, this.maxLifetimeSeconds);
    const expiration = new Date(this.clock.now() + lifetime * 1000).toISOString();
    return xml(200, requestId, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>${call.roleArn}/${call.roleSessionName}</Arn><AssumedRoleId>AROAFAKE:${call.roleSessionName}</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${credentials.accessKeyId}</AccessKeyId>
      <SecretAccessKey>secret-${n}</SecretAccessKey>
      <SessionToken>${credentials.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
  }
}

function stsError(requestId: string, error: StsErrorReply): Reply {
  return xml(error.status, requestId, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${error.code}</Code><Message>${error.message ?? error.code}</Message></Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>`);
}

function xml(status: number, requestId: string, body: string): Reply {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
