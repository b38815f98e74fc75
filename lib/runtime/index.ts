// The jsii-compatible part of the runtime. Errors, the SDK credential provider, the verify command and
// the validation helpers are imported by path (see each file).
export * from './clock';
export * from './credentials';
export * from './connection-settings';
export * from './host';
