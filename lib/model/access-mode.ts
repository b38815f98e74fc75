/** Who decides which databases, tables and data the queries may read. */
export enum AccessMode {
  /**
   * IAM decides: the policy names every Glue database and S3 data location, so its size grows with them and
   * IAM's quotas bound how many fit (see `AthenaQueryPolicy.capacity()`).
   */
  IAM = 'IAM',
  /**
   * IAM decides, as with `IAM`, and Lake Formation's permissions are used too: the policy also allows
   * `lakeformation:GetDataAccess`, so tables governed by Lake Formation are read with the data access it vends
   * (the Lake Formation grants themselves are made separately). What `lakeFormation: true` used to say.
   */
  IAM_AND_LAKE_FORMATION = 'IAM_AND_LAKE_FORMATION',
  /**
   * Lake Formation decides: IAM grants read-only Glue access to the catalog's metadata APIs,
   * `lakeformation:GetDataAccess` and Athena, and Lake Formation grants (DESCRIBE on each database, SELECT and
   * DESCRIBE on its tables, or LF-Tag expressions) say what the principal sees and reads; Lake Formation vends
   * the data access, so no S3 data location is granted. The IAM policy's size no longer depends on the number of
   * databases. The databases must be governed by Lake Formation (no `IAMAllowedPrincipals` grant on them, or
   * hybrid access mode with the principal opted in): where IAMAllowedPrincipals still holds them, IAM alone
   * decides, and the read-only Glue access lets the principal see every database's metadata (but read no data).
   */
  LAKE_FORMATION = 'LAKE_FORMATION',
}
