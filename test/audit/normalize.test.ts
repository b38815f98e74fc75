import { decodeDocument, normalizeDocument, normalizeLakeFormation } from '../../lib/audit/normalize';

// IAM returns documents URL-encoded (RFC 3986): https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
test('a URL-encoded document decodes with + kept a plus and %20 a space', () => {
  const encoded = encodeURIComponent('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c"}}');
  expect(normalizeDocument(decodeDocument(encoded))).toEqual([{ effect: 'Allow', action: ['s3:getobject'], resource: ['arn:aws:s3:::b/a b+c'] }]);
});

test('a document already JSON (as moto returns GetPolicyVersion) is read as it is, a bare % kept', () => {
  const plain = '{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%/*"}}';
  expect(normalizeDocument(decodeDocument(plain))).toEqual([{ effect: 'Allow', action: ['s3:getobject'], resource: ['arn:aws:s3:::b/100%/*'] }]);
  expect(decodeDocument(encodeURIComponent(plain))).toEqual(decodeDocument(plain));
});

test('one-element arrays, statement order, Sids and action case do not count', () => {
  const a = { Statement: [{ Sid: 'One', Effect: 'Allow', Action: ['S3:GetObject'], Resource: 'x' }, { Effect: 'Deny', Action: 'glue:Create*', Resource: ['*'] }] };
  const b = { Statement: [{ Effect: 'Deny', Action: ['glue:Create*'], Resource: '*' }, { Effect: 'Allow', Action: 's3:getobject', Resource: ['x'] }] };
  expect(normalizeDocument(a)).toEqual(normalizeDocument(b));
});

// https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html: ALL (Super) on a table is
// ALTER, DELETE, DESCRIBE, DROP, INSERT and SELECT; https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html:
// a grant on all tables of a database implies DESCRIBE on the database.
test('Lake Formation ALL is the expanded list, and a table wildcard grant implies DESCRIBE on its database', () => {
  const granted = normalizeLakeFormation([{ resource: { Table: { CatalogId: '111122223333', DatabaseName: 'sales', TableWildcard: {} } }, permissions: ['ALL'], permissionsWithGrantOption: [] }], '111122223333');
  const listed = normalizeLakeFormation([
    { resource: { Table: { DatabaseName: 'sales', TableWildcard: {} } }, permissions: ['ALTER', 'DELETE', 'DESCRIBE', 'DROP', 'INSERT', 'SELECT'], permissionsWithGrantOption: [] },
    { resource: { Database: { Name: 'sales' } }, permissions: ['DESCRIBE'], permissionsWithGrantOption: [] },
  ], '111122223333');
  expect([...granted.entries()]).toEqual([...listed.entries()]);
});
