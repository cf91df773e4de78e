-- stg_targets: one row per account manager × year target.
SELECT year, staff_id, CAST(amount AS DOUBLE PRECISION) AS amount
FROM targets
