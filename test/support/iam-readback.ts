import * as http from 'http';
import { Moto } from './moto';

/**
 * A role read back through IAM's Query API over HTTP (https://docs.aws.amazon.com/IAM/latest/APIReference/Welcome.html),
 * as an auditor's tool would read it: its trust, its attached managed policies (each at its default version) and
 * its inline policies. IAM returns every policy document URL-encoded (RFC 3986): GetRole's
 * AssumeRolePolicyDocument, GetPolicyVersion's Document and GetRolePolicy's PolicyDocument
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html); SDKs decode them, a raw client
 * must. moto 5.2 encodes the trust and leaves managed policy versions as plain JSON: both read here.
 * moto routes a request by the service in the Authorization header's credential scope and checks no signature.
 */
export interface ReadBackRole {
  readonly arn: string;
  readonly path: string;
  readonly trust: any;
  /** Attached managed policies by ARN: the document of the default version. */
  readonly attached: Record<string, any>;
  /** Inline policies by name. */
  readonly inline: Record<string, any>;
}

function post(endpoint: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        'Authorization': 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
      },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** One IAM Query API action; the response XML. */
export async function iamQuery(moto: Moto, action: string, params: Record<string, string> = {}): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const { status, text } = await post(moto.endpoint, body);
  if (status !== 200) throw new Error(`IAM ${action} ${JSON.stringify(params)} failed (HTTP ${status}): ${text}`);
  return text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'' };
/** The text of every `<tag>` element of `xml`, XML entities resolved. */
export function elements(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1].replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ENTITIES[e]));
}
const only = (xml: string, tag: string) => {
  const found = elements(xml, tag);
  if (found.length !== 1) throw new Error(`expected one <${tag}> in ${xml}`);
  return found[0];
};

/** A policy document as IAM returns it: URL-encoded JSON (plain JSON from moto's policy versions). */
export function policyDocument(text: string): any {
  return JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text));
}

/** Reads `roleName` back: trust, attached policies' default versions, inline policies (no paging: asserts none). */
export async function readBackRole(moto: Moto, roleName: string): Promise<ReadBackRole> {
  const role = await iamQuery(moto, 'GetRole', { RoleName: roleName });
  const attachedXml = await iamQuery(moto, 'ListAttachedRolePolicies', { RoleName: roleName });
  const inlineXml = await iamQuery(moto, 'ListRolePolicies', { RoleName: roleName });
  for (const xml of [attachedXml, inlineXml]) if (elements(xml, 'IsTruncated')[0] === 'true') throw new Error('paging not read');
  const attached: Record<string, any> = {};
  for (const arn of elements(attachedXml, 'PolicyArn')) {
    const version = only(await iamQuery(moto, 'GetPolicy', { PolicyArn: arn }), 'DefaultVersionId');
    attached[arn] = policyDocument(only(await iamQuery(moto, 'GetPolicyVersion', { PolicyArn: arn, VersionId: version }), 'Document'));
  }
  const inline: Record<string, any> = {};
  for (const name of elements(inlineXml, 'member')) {
    inline[name] = policyDocument(only(await iamQuery(moto, 'GetRolePolicy', { RoleName: roleName, PolicyName: name }), 'PolicyDocument'));
  }
  return { arn: only(role, 'Arn'), path: only(role, 'Path'), trust: policyDocument(only(role, 'AssumeRolePolicyDocument')), attached, inline };
}
