/**
 * One IAM principal's permissions as plain data, whichever side they come from: what the library would create (a
 * synthesized template with its parameters, a cloud assembly, a config, the Terraform module's plan or state) or
 * what is deployed (read back through IAM and Lake Formation). drift compares an expected principal with a
 * deployed one, diff two expected ones; both read only this shape.
 */

/** A policy document as IAM evaluates it: parsed JSON, as written (normalizing is the comparison's business). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: ReadonlyArray<Record<string, unknown>> | Record<string, unknown>;
}

/** A policy of the principal, with where it comes from, for the report (policies match by content, never by name). */
export interface PrincipalPolicy {
  /** How the policy reaches the principal. */
  readonly kind: 'inline' | 'managed' | 'group-inline' | 'group-managed';
  /** Its name, logical id or ARN, as the source names it: for the report only. */
  readonly source: string;
  readonly document: PolicyDocument;
}

/** A Lake Formation permission of the principal, as `ListPermissions` returns one, resource as in its API. */
export interface LakeFormationPermission {
  /** The resource (`Catalog`, `Database`, `Table`, `TableWithColumns`, `DataLocation`, `LFTagPolicy`, ...) as the API writes it. */
  readonly resource: Record<string, unknown>;
  readonly permissions: string[];
  readonly permissionsWithGrantOption: string[];
}

/** An IAM role or user with everything that decides what it may do. */
export interface PrincipalPermissions {
  readonly kind: 'role' | 'user';
  /** The name, when known (a template may leave it to CloudFormation). */
  readonly name?: string;
  /** The ARN, when known. */
  readonly arn?: string;
  /** The template's logical id (of Terraform output, the resource address), for an expected principal. */
  readonly logicalId?: string;
  /** A role's trust policy. */
  readonly trust?: PolicyDocument;
  /** Identity policies: inline, attached managed, and (a user's) its groups'. */
  readonly policies: PrincipalPolicy[];
  /** The permissions boundary's document; absent: none. */
  readonly permissionsBoundary?: PrincipalPolicy;
  /**
   * Managed policies attached by ARN whose documents the source does not hold (AWS managed policies, policies of
   * another stack): compared by ARN. Absent: none.
   */
  readonly externalPolicyArns?: string[];
  /** The permissions boundary's ARN when the source does not hold its document. Absent: none, or `permissionsBoundary` has it. */
  readonly externalPermissionsBoundaryArn?: string;
  /** The Lake Formation permissions; absent: not read (for example `--skip-lake-formation`). */
  readonly lakeFormation?: LakeFormationPermission[];
}
