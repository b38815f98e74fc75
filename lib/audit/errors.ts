/**
 * Input that drift and diff cannot read: a template with a value they cannot resolve, a missing parameter, an
 * unknown source, no matching principal. The command line prints the message and exits 2.
 */
export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }
}
