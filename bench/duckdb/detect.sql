-- The two detections the benchmark runs in DuckDB, as idtriage's defaults
-- define them, over the same NDJSON: at-risk attempts from five or more
-- countries for one user within 24 hours (ENTRA-RISKY-COUNTRIES), and five
-- or more distinct attempts blocked by Conditional Access (53003, 53004)
-- for one user within 24 hours (ENTRA-CA-BLOCK-BURST). read_json is given
-- the columns the two rules read, so it extracts nothing else. Audit
-- records in the same files have no createdDateTime and drop out.
WITH s AS (
  SELECT lower(userPrincipalName) AS u,
         coalesce(nullif(originalRequestId, ''), id) AS k,
         createdDateTime AS t,
         status.errorCode AS code,
         location.countryOrRegion AS country,
         (lower(riskLevelDuringSignIn) IN ('medium', 'high')
           OR lower(riskLevelAggregated) IN ('medium', 'high'))
           AND coalesce(riskState, '') NOT IN ('dismissed', 'remediated', 'confirmedSafe')
           AS at_risk
  FROM read_json($1, format = 'newline_delimited',
    columns = {id: 'VARCHAR', originalRequestId: 'VARCHAR', createdDateTime: 'TIMESTAMPTZ',
      userPrincipalName: 'VARCHAR', status: 'STRUCT(errorCode BIGINT)',
      location: 'STRUCT(countryOrRegion VARCHAR)', riskLevelDuringSignIn: 'VARCHAR',
      riskLevelAggregated: 'VARCHAR', riskState: 'VARCHAR'})
  WHERE createdDateTime IS NOT NULL AND coalesce(userPrincipalName, '') <> ''
),
risky AS (
  SELECT u, t, count(DISTINCT country) OVER (PARTITION BY u ORDER BY t
    RANGE BETWEEN INTERVAL 24 HOURS PRECEDING AND CURRENT ROW) AS n
  FROM s WHERE at_risk AND coalesce(country, '') <> ''
),
blocks AS (
  SELECT u, t, count(DISTINCT k) OVER (PARTITION BY u ORDER BY t
    RANGE BETWEEN INTERVAL 24 HOURS PRECEDING AND CURRENT ROW) AS n
  FROM s WHERE code IN (53003, 53004)
)
SELECT 'ENTRA-RISKY-COUNTRIES' AS rule, count(DISTINCT u) AS users FROM risky WHERE n >= 5
UNION ALL
SELECT 'ENTRA-CA-BLOCK-BURST', count(DISTINCT u) FROM blocks WHERE n >= 5
ORDER BY rule
