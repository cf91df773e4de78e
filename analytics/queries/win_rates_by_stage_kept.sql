-- win_rates_by_stage_kept (metrics.md, Year-end forecast, p(o)): win_rates_by_stage.sql's
-- rows (per stage 0..won_stage: the company's closed deals in the look-back window
-- that reached it, the wins, the stage rate, and the median cycle time created ->
-- won of the wins), the stage rates read from p(o)'s rate tables kept per as_of
-- (win_rates_cached: the win_rates fragment's stage_rates, built at load) instead of
-- every closed deal joined to its highest stage on each view; the wins of the
-- cycle are the won deals among the same closed deals (status won, closed in the
-- look-back window).  Company-wide: the viewer's scope does not change it.
WITH
{{ include opportunity_state }},
{{ include win_rates_cached }},

stage_levels AS (
    SELECT CAST(g AS INTEGER) AS stage
    FROM generate_series(0, CAST(:won_stage AS INTEGER)) AS levels (g)
),

cycle AS (
    SELECT
        percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_date - created_date) AS median_cycle_days
    FROM opportunity_state
    WHERE status = 'won'
        AND closed_date > CAST(:lookback_start AS DATE)
        AND closed_date <= CAST(:as_of AS DATE)
),

{{ include win_rates_by_stage_rows }}

SELECT *
FROM final
ORDER BY stage
