import { CfnJson, Fn, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_SERVICE_ACCOUNT as MODEL_DEFAULT_SERVICE_ACCOUNT } from '../model/identity-props';
import { POD_IDENTITY_SESSION_TAG_KEYS } from '../model/trust-conditions';
import { invalid, validateEksClusterName, validateKubernetesName, validateOidcProviderArn } from '../model/validation';
import { missingAssociationMessage } from '../model/warnings';
import { addSynthWarning } from './cdk/synth-warnings';

/** The Kubernetes service account of the self-hosted dataplane's Spark pods. */
export const DEFAULT_SERVICE_ACCOUNT = MODEL_DEFAULT_SERVICE_ACCOUNT;

/** How the dataplane obtains the base role's credentials. */
export enum DataplaneIdentityKind {
  /** EKS Pod Identity (recommended for EKS). */
  EKS_POD_IDENTITY = 'EKS_POD_IDENTITY',
  /** IAM roles for service accounts, through the cluster's OIDC provider. */
  IRSA = 'IRSA',
  /** The EC2 instance role of the nodes (works; widest blast radius: every pod on the node gets it). */
  EC2_INSTANCE = 'EC2_INSTANCE',
  /** Any other principal. */
  CUSTOM = 'CUSTOM',
}

/** Which pods EKS Pod Identity may hand the base role to. */
export interface EksPodIdentityOptions {
  /**
   * The dataplane's Kubernetes service account; the trust requires the `kubernetes-service-account` session
   * tag EKS Pod Identity sets.
   *
   * @default 'qualytics-spark'
   */
  readonly serviceAccount?: string;
  /**
   * The dataplane's namespace; when set, the trust requires the `kubernetes-namespace` session tag.
   *
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * The EKS cluster's name; when set, the trust requires the `eks-cluster-name` session tag.
   *
   * @default - any cluster in the account
   */
  readonly clusterName?: string;
  /**
   * Create the EKS Pod Identity association that hands the base role to the service account
   * (`AWS::EKS::PodIdentityAssociation`, in the base role's stack). Needs `clusterName` and `namespace`; the
   * cluster must exist in the stack's account and Region and run the EKS Pod Identity Agent add-on.
   *
   * Without an association the pods get no credentials for the base role, so synth warns
   * (`qualytics-athena-iam:noPodIdentityAssociation`) when none is created, with the command that creates one.
   *
   * @default - true when `clusterName` and `namespace` are given, false otherwise (associate the role yourself
   *   with `aws eks create-pod-identity-association`)
   */
  readonly createAssociation?: boolean;
  /**
   * Whether EKS Pod Identity adds its six session tags (`eks-cluster-arn`, `eks-cluster-name`,
   * `kubernetes-namespace`, `kubernetes-service-account`, `kubernetes-pod-name`, `kubernetes-pod-uid`) to the
   * base role's session.
   *
   * - `true` (the default): the base role's trust requires the service account (and namespace and cluster,
   *   when given) through those tags. They are transitive, so every target role's trust must allow
   *   `sts:TagSession` for them (`AthenaTargetRole`'s `allowPodIdentitySessionTags`, on by default, and the
   *   customer template do), and the base role's policy allows `sts:TagSession` on its target roles.
   *   Pick this when the target roles are yours or already allow the tags; the trust pins the exact pods.
   * - `false`: the association is created with `DisableSessionTags`, and the base role's trust instead
   *   requires `aws:SourceAccount` (the stack's account) and, with `clusterName`, an `aws:SourceArn` of one of
   *   that cluster's Pod Identity associations. No session tags reach the target roles, so neither side needs
   *   `sts:TagSession`. Pick this when a target role's trust cannot be changed to allow `sts:TagSession`; which
   *   namespace and service account get the role is then decided by the association alone.
   *   You must disable session tags on the association yourself when `createAssociation` is false.
   *
   * @default true
   */
  readonly sessionTags?: boolean;
}

/** Which service account IRSA may hand the base role to. */
export interface IrsaOptions {
  /** ARN of the cluster's IAM OIDC identity provider, `arn:<partition>:iam::<account>:oidc-provider/<issuer>`. */
  readonly oidcProviderArn: string;
  /** The dataplane's Kubernetes namespace. */
  readonly namespace: string;
  /**
   * The dataplane's Kubernetes service account.
   *
   * @default 'qualytics-spark'
   */
  readonly serviceAccount?: string;
}

/**
 * The identity the dataplane runs as, which becomes the principal trusted by its base role.
 */
export abstract class DataplaneIdentity {
  /**
   * EKS Pod Identity: trusts `pods.eks.amazonaws.com` with `sts:AssumeRole` and `sts:TagSession`, limited by
   * the session tags EKS sets to the dataplane's service account (and namespace and cluster, when given); or,
   * with `sessionTags: false`, by the source account and the cluster's associations.
   */
  public static eksPodIdentity(options: EksPodIdentityOptions = {}): DataplaneIdentity {
    const serviceAccount = options.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT;
    validateKubernetesName('serviceAccount', serviceAccount);
    if (options.namespace !== undefined) validateKubernetesName('namespace', options.namespace);
    if (options.clusterName !== undefined) validateEksClusterName('clusterName', options.clusterName);
    if (options.createAssociation && (options.clusterName === undefined || options.namespace === undefined)) {
      invalid('createAssociation', options.createAssociation, 'Creating the Pod Identity association needs both clusterName and namespace.');
    }
    return new EksPodIdentity({ ...options, serviceAccount });
  }

  /**
   * IAM roles for service accounts: trusts the cluster's OIDC provider with `sts:AssumeRoleWithWebIdentity`
   * for tokens whose `sub` is the dataplane's service account and whose `aud` is `sts.amazonaws.com`.
   */
  public static irsa(options: IrsaOptions): DataplaneIdentity {
    validateOidcProviderArn('oidcProviderArn', options.oidcProviderArn);
    validateKubernetesName('namespace', options.namespace);
    const serviceAccount = options.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT;
    validateKubernetesName('serviceAccount', serviceAccount);
    return new Irsa({ ...options, serviceAccount });
  }

  /** The nodes' EC2 instance role: trusts `ec2.amazonaws.com`. Every pod on the node can use it. */
  public static ec2Instance(): DataplaneIdentity {
    return new PrincipalIdentity(DataplaneIdentityKind.EC2_INSTANCE, new iam.ServicePrincipal('ec2.amazonaws.com'));
  }

  /** Any principal, for identities this library does not model. */
  public static fromPrincipal(principal: iam.IPrincipal): DataplaneIdentity {
    return new PrincipalIdentity(DataplaneIdentityKind.CUSTOM, principal);
  }

  /** How the dataplane obtains its credentials. */
  public abstract readonly kind: DataplaneIdentityKind;

  /**
   * The transitive session tags the base role's sessions carry into every role they assume (EKS Pod
   * Identity's six, unless `sessionTags` is false). When there are any, STS authorizes `sts:TagSession` on
   * each target role too, so the base role's policy allows it and the target roles' trust must.
   */
  public get transitiveSessionTagKeys(): string[] {
    return [];
  }

  /** The principal the base role trusts, created in `scope` where that needs resources. */
  public abstract bindPrincipal(scope: Construct): iam.IPrincipal;

  /**
   * @internal Connects the dataplane's pods to `role` once it exists: creates what the identity needs in
   * `scope` and returns the annotations the dataplane's service account must carry.
   */
  public _bindRole(_scope: Construct, _role: iam.IRole): DataplaneRoleBinding {
    return { serviceAccountAnnotations: {} };
  }
}

/** @internal What connecting the base role to the dataplane's pods produced. */
export interface DataplaneRoleBinding {
  /** Annotations of the dataplane's service account (the chart's `dataplane.rbac.serviceAccountAnnotations`). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** The Pod Identity association, when one was created. */
  readonly podIdentityAssociation?: eks.CfnPodIdentityAssociation;
}

/** The service account annotation IRSA reads the role ARN from. */
const IRSA_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

class EksPodIdentity extends DataplaneIdentity {
  public readonly kind = DataplaneIdentityKind.EKS_POD_IDENTITY;

  constructor(private readonly options: EksPodIdentityOptions & { serviceAccount: string }) {
    super();
  }

  public get transitiveSessionTagKeys(): string[] {
    return this.sessionTags ? [...POD_IDENTITY_SESSION_TAG_KEYS] : [];
  }

  private get sessionTags(): boolean {
    return this.options.sessionTags ?? true;
  }

  /**
   * The trust EKS documents for Pod Identity roles: `pods.eks.amazonaws.com` with `sts:AssumeRole` and
   * `sts:TagSession` (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html), limited by the
   * request tags Pod Identity sends, or without tags by the source account and association.
   */
  public bindPrincipal(scope: Construct): iam.IPrincipal {
    const pods = new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com'));
    if (!this.sessionTags) return pods.withConditions(podIdentitySourceConditions(Stack.of(scope), this.options.clusterName));
    const tags: Record<string, string> = { 'aws:RequestTag/kubernetes-service-account': this.options.serviceAccount };
    if (this.options.namespace !== undefined) tags['aws:RequestTag/kubernetes-namespace'] = this.options.namespace;
    if (this.options.clusterName !== undefined) tags['aws:RequestTag/eks-cluster-name'] = this.options.clusterName;
    return pods.withConditions({ StringEquals: tags });
  }

  /** @internal */
  public _bindRole(scope: Construct, role: iam.IRole): DataplaneRoleBinding {
    const { clusterName, namespace, serviceAccount } = this.options;
    const createAssociation = this.options.createAssociation ?? (clusterName !== undefined && namespace !== undefined);
    if (!createAssociation || clusterName === undefined || namespace === undefined) {
      warnOfMissingAssociation(scope, this.options, this.sessionTags);
      return super._bindRole(scope, role);
    }
    const podIdentityAssociation = new eks.CfnPodIdentityAssociation(scope, 'PodIdentityAssociation', {
      clusterName,
      namespace,
      serviceAccount,
      roleArn: role.roleArn,
      // With tags, the base role's trust conditions read them; without, nothing may depend on them.
      ...(this.sessionTags ? {} : { disableSessionTags: true }),
    });
    return { serviceAccountAnnotations: {}, podIdentityAssociation };
  }
}

/**
 * Pods get the base role's credentials only through a Pod Identity association of their service account
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html); without one, the role deploys
 * but the dataplane cannot use it. The warning names the command that creates the association
 * (https://docs.aws.amazon.com/cli/latest/reference/eks/create-pod-identity-association.html).
 */
function warnOfMissingAssociation(scope: Construct, options: EksPodIdentityOptions & { serviceAccount: string }, sessionTags: boolean): void {
  const why = options.createAssociation === false
    ? 'createAssociation is false'
    : `${[options.clusterName === undefined ? 'clusterName' : undefined, options.namespace === undefined ? 'namespace' : undefined]
      .filter((p) => p !== undefined).join(' and ')} not given`;
  addSynthWarning(scope, 'noPodIdentityAssociation', missingAssociationMessage({
    why,
    serviceAccount: options.serviceAccount,
    createHere: 'Pass clusterName and namespace to DataplaneIdentity.eksPodIdentity()',
    clusterName: options.clusterName ?? '<cluster>',
    namespace: options.namespace ?? '<namespace>',
    roleArn: '<base role ARN>',
    sessionTags,
  }));
}

/**
 * Without session tags, the confused-deputy keys AWS recommends for service principals: the account the
 * request comes from (`aws:SourceAccount`) and, when the cluster is known, one of its Pod Identity
 * associations (`aws:SourceArn`, `arn:<partition>:eks:<region>:<account>:podidentityassociation/<cluster>/*`,
 * in the stack's Region). https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
function podIdentitySourceConditions(stack: Stack, clusterName?: string): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ...(clusterName === undefined ? {} : {
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:eks:${stack.region}:${stack.account}:podidentityassociation/${clusterName}/*` },
    }),
  };
}

class Irsa extends DataplaneIdentity {
  public readonly kind = DataplaneIdentityKind.IRSA;

  constructor(private readonly options: IrsaOptions & { serviceAccount: string }) {
    super();
  }

  public bindPrincipal(scope: Construct): iam.IPrincipal {
    const { oidcProviderArn, namespace, serviceAccount } = this.options;
    const claims = {
      sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
      aud: 'sts.amazonaws.com',
    };
    if (!Token.isUnresolved(oidcProviderArn)) {
      const issuer = oidcProviderArn.slice(oidcProviderArn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
      return new iam.FederatedPrincipal(oidcProviderArn, { StringEquals: issuerConditions(issuer, claims) }, 'sts:AssumeRoleWithWebIdentity');
    }
    // The issuer is only known at deploy time: condition keys that contain tokens need CfnJson.
    const issuer = Fn.select(1, Fn.split(':oidc-provider/', oidcProviderArn));
    const conditions = new CfnJson(scope, 'IrsaConditions', { value: issuerConditions(issuer, claims) });
    return new iam.FederatedPrincipal(oidcProviderArn, { StringEquals: conditions }, 'sts:AssumeRoleWithWebIdentity');
  }

  /** @internal */
  public _bindRole(_scope: Construct, role: iam.IRole): DataplaneRoleBinding {
    return { serviceAccountAnnotations: { [IRSA_ROLE_ARN_ANNOTATION]: role.roleArn } };
  }
}

function issuerConditions(issuer: string, claims: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([claim, value]) => [`${issuer}:${claim}`, value]));
}

class PrincipalIdentity extends DataplaneIdentity {
  constructor(public readonly kind: DataplaneIdentityKind, private readonly principal: iam.IPrincipal) {
    super();
  }

  public bindPrincipal(): iam.IPrincipal {
    return this.principal;
  }
}
