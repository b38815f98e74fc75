import { JsonMeasure } from './size';
import { StatementSpec } from './statement-spec';

/** The JSON shape of a statement, as CDK renders it: keys sorted, a single action or resource as a string. */
export function statementJson(spec: StatementSpec): Record<string, unknown> {
  return {
    Action: singleOrList(spec.actions),
    Condition: spec.conditions,
    Effect: spec.effect,
    NotResource: spec.notResources === undefined ? undefined : singleOrList(spec.notResources),
    Resource: spec.notResources === undefined ? singleOrList(spec.resources) : undefined,
    Sid: spec.sid,
  };
}

function singleOrList(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

/** The JSON shape of a policy document holding `statements`. */
export function documentJson(statements: StatementSpec[]): Record<string, unknown> {
  return { Statement: statements.map(statementJson), Version: '2012-10-17' };
}

/**
 * Splits statements into as few policy documents of at most `maxLength` characters as a greedy, in-order
 * fill allows. With a list of lengths, document `i` holds at most `maxLengths[i]` characters, and the last length
 * applies to every later document (managed policies first, then an inline policy of another size). A statement whose resources do not all fit continues, with the same Sid, actions and
 * conditions, in the next document; a `NotResource` statement is never split. The result depends only on
 * the input: the same statements always give the same documents.
 *
 * Each document is filled until the next resource does not fit, so every document but the last is full to
 * within the size of one statement header and one resource (a few hundred characters of 6,144).
 */
export function packStatements(statements: StatementSpec[], measure: JsonMeasure, maxLengths: number | number[]): StatementSpec[][] {
  const emptyDocument = measure.jsonLength(documentJson([]));
  const documents: StatementSpec[][] = [];
  const limits = typeof maxLengths === 'number' ? [maxLengths] : maxLengths;
  let maxLength = limits[0];
  let current: StatementSpec[] = [];
  let used = emptyDocument;

  const closeDocument = () => {
    documents.push(current);
    current = [];
    used = emptyDocument;
    maxLength = limits[Math.min(documents.length, limits.length - 1)];
  };

  for (const spec of statements) {
    if (spec.notResources !== undefined) {
      const size = measure.jsonLength(statementJson(spec));
      if (emptyDocument + size > maxLength) {
        throw new Error(`Statement ${spec.sid} cannot fit a policy document of ${maxLength} characters (${emptyDocument + size} characters needed).`);
      }
      if (used + size + (current.length > 0 ? 1 : 0) > maxLength) closeDocument();
      used += size + (current.length > 0 ? 1 : 0);
      current.push(spec);
      continue;
    }
    const header = measure.jsonLength(statementJson({ ...spec, resources: [] }));
    let remaining = spec.resources;
    while (remaining.length > 0) {
      const separator = current.length > 0 ? 1 : 0;
      let size = header + separator;
      let count = 0;
      for (const resource of remaining) {
        const add = measure.jsonLength(resource) + (count > 0 ? 1 : 0);
        if (used + size + add > maxLength) break;
        size += add;
        count++;
      }
      if (count === 0) {
        if (current.length === 0) {
          throw new Error(
            `Statement ${spec.sid} cannot fit a policy document of ${maxLength} characters even with a single resource ` +
            `(${emptyDocument + header + measure.jsonLength(remaining[0])} characters needed).`,
          );
        }
        closeDocument();
        continue;
      }
      current.push({ ...spec, resources: remaining.slice(0, count) });
      used += size;
      remaining = remaining.slice(count);
      if (remaining.length > 0) closeDocument();
    }
  }
  if (current.length > 0) documents.push(current);
  return documents;
}
