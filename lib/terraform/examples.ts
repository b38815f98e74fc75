import { HEADER, REQUIREMENTS } from './module';

/**
 * Complete root configurations calling the modules (`terraform/examples/<name>/`), each with a README: the files
 * by name, before `terraform fmt`. They call the modules by relative path, as a copy of the package's `terraform/`
 * folder can.
 */
export interface TerraformExample {
  /** The README's title and its one line. */
  readonly title: string;
  readonly summary: string;
  /** More README paragraphs (Markdown). @default - none */
  readonly notes?: string[];
  readonly mainTf: string;
}

const PROVIDER = `terraform {
  required_version = "${REQUIREMENTS.terraform}"
  required_providers {
    aws = {
      source  = "${REQUIREMENTS.aws.source}"
      version = "${REQUIREMENTS.aws.version}"
    }
  }
}

variable "region" {
  description = "The Region of the Athena workgroups."
  type        = string
  default     = "us-east-1"
}

provider "aws" {
  region = var.region
}
`;

/** A required string variable of an example. */
const stringVariable = (name: string, description: string) => `variable "${name}" {
  description = "${description}"
  type        = string
}
`;
const RESULTS_BUCKET = 'The bucket Athena writes query results to.';

const CUSTOMER = `${HEADER}${PROVIDER}
${stringVariable('trusted_role_arn', 'The base role ARN Qualytics gave you for this connection.')}
${stringVariable('external_id', 'The External ID Qualytics gave you for this connection.')}
${stringVariable('results_bucket_name', RESULTS_BUCKET)}
# The role Qualytics' managed dataplane assumes, with the External ID it was given.
module "qualytics_athena" {
  source = "../../modules/athena-target-role"

  trusted_role_arn    = var.trusted_role_arn
  external_id         = var.external_id
  results_bucket_name = var.results_bucket_name
  work_group_names    = ["qualytics"]
  glue_database_names = ["sales", "marketing"]
  data_locations      = [{ bucket_name = "acme-data-lake", prefix = "warehouse" }]
}

# The values of the Athena connection form.
output "athena_connection" {
  value = module.qualytics_athena
}
`;

const SELF_HOSTED = `${HEADER}${PROVIDER}
${stringVariable('cluster_name', 'The EKS cluster the dataplane runs in.')}
${stringVariable('external_id', 'The External ID of the connection (any value you choose, also given to the connection).')}
${stringVariable('results_bucket_name', RESULTS_BUCKET)}
data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  target_role_name = "qualytics-athena-access"
  # Built from the name, not taken from module.athena_target_role.role_arn: the base role's policy is then known at
  # plan, and the modules depend one way only (see README.md).
  target_role_arn = "arn:\${data.aws_partition.current.partition}:iam::\${data.aws_caller_identity.current.account_id}:role/\${local.target_role_name}"
}

# The dataplane's base role, for EKS Pod Identity: it may assume the target role, and nothing else.
module "dataplane_base_role" {
  source = "../../modules/dataplane-base-role"

  role_name        = "qualytics-dataplane"
  target_role_arns = [local.target_role_arn]
  cluster_name     = var.cluster_name
  namespace        = "qualytics"
}

# The target role, trusting the base role (which IAM requires to exist first: the trust names it).
module "athena_target_role" {
  source = "../../modules/athena-target-role"

  role_name           = local.target_role_name
  trusted_role_arn    = module.dataplane_base_role.role_arn
  external_id         = var.external_id
  results_bucket_name = var.results_bucket_name
  work_group_names    = ["qualytics"]
  glue_database_names = ["sales"]
  account_id          = data.aws_caller_identity.current.account_id
}

output "athena_connection" {
  value = module.athena_target_role
}

output "chart_values" {
  value = module.dataplane_base_role.chart_values
}
`;

/** The examples, by folder under `terraform/examples/`. */
export const TERRAFORM_EXAMPLES: Record<string, TerraformExample> = {
  'customer-target-role': {
    title: 'A customer\'s target role',
    summary: 'The target role a customer creates for Qualytics\' managed dataplane: the vendor\'s base role is trusted, with the External ID Qualytics gave.',
    mainTf: CUSTOMER,
  },
  'self-hosted-single-account': {
    title: 'A self-hosted dataplane in one account',
    summary: 'The base role of a self-hosted dataplane (EKS Pod Identity) and the target role it assumes, both in the account the dataplane runs in.',
    notes: [
      'Each role names the other: the target role\'s trust names the base role, and the base role\'s policy names the target role. '
      + 'The target role\'s ARN is built from its name (`local.target_role_arn`) instead of taken from the module\'s `role_arn` output, '
      + 'so the modules depend one way only: the target role on the base role, which IAM requires to exist first, since a trust policy '
      + 'cannot name a role that does not exist. A policy may name a role that does not exist yet, so the base role can come first, and its '
      + 'policy is known at plan, where the module checks it.',
    ],
    mainTf: SELF_HOSTED,
  },
};

/** An example's README.md. */
export function exampleReadme(name: string, example: TerraformExample): string {
  return `<!-- Generated from the qualytics-athena-iam model by \`npx projen terraform\` (lib/terraform): do not edit. -->
# ${example.title}

${example.summary}
${(example.notes ?? []).map((n) => `\n${n}\n`).join('')}
\`\`\`sh
cd terraform/examples/${name}
terraform init
terraform apply
\`\`\`
`;
}
