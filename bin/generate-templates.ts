/**
 * Writes the customer CloudFormation templates into templates/, generated from the constructs
 * (`npm run templates`). A test fails when the committed files are stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CUSTOMER_TEMPLATES } from '../lib/cloudformation/customer-templates';

const dir = path.join(__dirname, '..', 'templates');
fs.mkdirSync(dir, { recursive: true });
for (const [file, render] of Object.entries(CUSTOMER_TEMPLATES)) {
  fs.writeFileSync(path.join(dir, file), render());
  console.log(`wrote templates/${file}`);
}
