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
  /** The session's ARN, `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`. */
  readonly arn: string;
  /** Issued by AssumeRoleWithWebIdentity (a base role session), not AssumeRole. */
  readonly webIdentity: boolean;
}

/** The parameters of one AssumeRoleWithWebIdentity call the fake received. */
export interface WebIdentityCall {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly webIdentityToken: string;
  /** Whether the request was signed; AssumeRoleWithWebIdentity takes none. */
  readonly signed: boolean;
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
 * Just enough of STS's query protocol for AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity: checks the
 * caller's signature key, the role, and the External ID against a trust policy, issues numbered credentials expiring
 * `DurationSeconds` after the clock's now, and dates every answer by that clock (the HTTP `Date` header every AWS
 * answer carries, IMF-fixdate: https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1).
 *
 * - AssumeRole: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * - AssumeRoleWithWebIdentity (IRSA; unsigned, the token is the credential; answers the base role's session):
 *   https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 * - GetCallerIdentity (the ARN of the signing session):
 *   https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export class FakeSts {
  /** Every AssumeRole call, parsed. */
  public readonly calls: AssumeRoleCall[] = [];
  /** Every set of credentials issued. */
  public readonly issued: IssuedCredentials[] = [];
  /** Every AssumeRoleWithWebIdentity call, parsed. */
  public readonly webIdentityCalls: WebIdentityCall[] = [];
  /**
   * IRSA: the base role whose trust accepts this service account token. Sessions of it may call AssumeRole, as the
   * base credentials may.
   */
  public webIdentity?: { readonly token: string; readonly roleArn: string };
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
  /**
   * Refuse requests signed more than five minutes away from the fake's clock, as AWS does ("a request must reach
   * AWS within five minutes of the time stamp in the request": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-signing.html).
   * Off by default: the other tests' clocks are far from the one the SDK signs with.
   */
  public checkSigningTime = false;
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
    this.webIdentityCalls.length = 0;
    this.webIdentity = undefined;
    this.scripted.length = 0;
    this.roles.clear();
    this.requiredExternalId = undefined;
    this.anyExternalId = false;
    this.maxLifetimeSeconds = 43_200;
    this.checkSigningTime = false;
    this.requestCount = 0;
    this.http.reset();
  }

  private handle(request: RecordedRequest): Reply {
    const reply = this.answer(request);
    return { ...reply, headers: { ...reply.headers, date: new Date(this.clock.now()).toUTCString() } };
  }

  private answer(request: RecordedRequest): Reply {
    const params = new URLSearchParams(request.body);
    const requestId = `sts-request-${++this.requestCount}`;
    const action = params.get('Action');
    if (action === 'AssumeRoleWithWebIdentity') {
      return this.assumeRoleWithWebIdentity(requestId, request, params);
    }
    if (action === 'GetCallerIdentity') {
      return this.getCallerIdentity(requestId, request);
    }
    if (action !== 'AssumeRole') {
      return stsError(requestId, { status: 400, code: 'InvalidAction', message: `Unsupported action ${action}` });
    }
    const call: AssumeRoleCall = {
      roleArn: params.get('RoleArn') ?? '',
      roleSessionName: params.get('RoleSessionName') ?? '',
      externalId: params.get('ExternalId') ?? undefined,
      durationSeconds: params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : undefined,
      signedWith: signingAccessKey(request),
    };
    this.calls.push(call);
    const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(request.headers['x-amz-date'] ?? ''));
    const signedMs = signedAt ? Date.UTC(+signedAt[1], +signedAt[2] - 1, +signedAt[3], +signedAt[4], +signedAt[5], +signedAt[6]) : NaN;
    if (this.checkSigningTime && !(Math.abs(signedMs - this.clock.now()) <= 300_000)) {
      const message = `Signature expired: ${request.headers['x-amz-date']} is now earlier than `
        + `${new Date(this.clock.now() - 300_000).toISOString()} (${new Date(this.clock.now()).toISOString()} - 5 min.)`;
      return stsError(requestId, { status: 403, code: 'SignatureDoesNotMatch', message });
    }
    const scripted = this.scripted.shift();
    if (scripted) {
      return stsError(requestId, scripted);
    }
    const baseSession = this.issued.some((c) => c.webIdentity && c.accessKeyId === call.signedWith
      && request.headers['x-amz-security-token'] === c.sessionToken);
    if (call.signedWith !== BASE_CREDENTIALS.accessKeyId && !baseSession) {
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
    return this.issue(requestId, 'AssumeRole', call, false);
  }

  private assumeRoleWithWebIdentity(requestId: string, request: RecordedRequest, params: URLSearchParams): Reply {
    const call: WebIdentityCall = {
      roleArn: params.get('RoleArn') ?? '',
      roleSessionName: params.get('RoleSessionName') ?? '',
      webIdentityToken: params.get('WebIdentityToken') ?? '',
      signed: request.headers.authorization !== undefined,
    };
    this.webIdentityCalls.push(call);
    if (!this.webIdentity || call.webIdentityToken !== this.webIdentity.token) {
      return stsError(requestId, { status: 400, code: 'InvalidIdentityToken', message: 'The web identity token is not valid.' });
    }
    if (call.roleArn !== this.webIdentity.roleArn) {
      return stsError(requestId, { status: 403, code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' });
    }
    const durationSeconds = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : undefined;
    return this.issue(requestId, 'AssumeRoleWithWebIdentity', { roleArn: call.roleArn, roleSessionName: call.roleSessionName, durationSeconds }, true);
  }

  private getCallerIdentity(requestId: string, request: RecordedRequest): Reply {
    const key = signingAccessKey(request);
    const session = this.issued.find((c) => c.accessKeyId === key && request.headers['x-amz-security-token'] === c.sessionToken);
    const arn = session?.arn ?? (key === BASE_CREDENTIALS.accessKeyId ? 'arn:aws:iam::111111111111:user/base' : undefined);
    if (!arn) {
      return stsError(requestId, { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    }
    return xml(200, requestId, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>
    <UserId>AROAFAKE:${arn.split('/').pop()}</UserId>
    <Account>${arn.split(':')[4]}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`);
  }

  private issue(requestId: string, action: 'AssumeRole' | 'AssumeRoleWithWebIdentity',
    call: Pick<AssumeRoleCall, 'roleArn' | 'roleSessionName' | 'durationSeconds'>, webIdentity: boolean): Reply {
    const n = this.issued.length + 1;
    const [, , , , account, resource] = call.roleArn.split(':');
    const arn = `arn:aws:sts::${account}:assumed-role/${resource.split('/').pop()}/${call.roleSessionName}`;
    const credentials = { accessKeyId: `ASIAFAKE${String(n).padStart(12, '0')}`, sessionToken: `session-token-${n}`, arn, webIdentity };
    this.issued.push(credentials);
    const lifetime = Math.min(call.durationSeconds ?? 3600, this.maxLifetimeSeconds);
    const expiration = new Date(this.clock.now() + lifetime * 1000).toISOString();
    return xml(200, requestId, `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    <AssumedRoleUser><Arn>${arn}</Arn><AssumedRoleId>AROAFAKE:${call.roleSessionName}</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${credentials.accessKeyId}</AccessKeyId>
      <SecretAccessKey>secret-${n}</SecretAccessKey>
      <SessionToken>${credentials.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </${action}Result>
  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>
</${action}Response>`);
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
