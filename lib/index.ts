export * from './athena-query-policy';
export * from './athena-target-role';
export * from './dataplane-identity';
export * from './dataplane-base-role';
export * from './runtime';
export * from './report/access-report';
export * from './report/statement-description';
