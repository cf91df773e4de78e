-- stg_budget: one row per budget line (year × branch × product [× month]).
SELECT year, branch, product, month, CAST(amount AS DOUBLE PRECISION) AS amount
FROM budget
