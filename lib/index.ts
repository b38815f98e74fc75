export * from './athena-query-policy';
export * from './athena-target-role';
export * from './dataplane-identity';
export * from './dataplane-base-role';
export * from './athena-access-key-user';
export * from './template/athena-target-role-template';
export * from './athena-target-role-stack-set';
