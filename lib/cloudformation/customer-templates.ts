import { AthenaTargetRoleTemplate } from './athena-target-role-template';

/** The committed customer templates under `templates/`, by file name, with what renders each. */
export const CUSTOMER_TEMPLATES: Record<string, () => string> = {
  'athena-target-role.json': () => AthenaTargetRoleTemplate.render(),
};
