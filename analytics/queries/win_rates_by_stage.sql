-- win_rates_by_stage (metrics.md, Year-end forecast, p(o)): one row per stage
-- 0..won_stage with the company's closed deals in the look-back window that
-- reached it and the share won (the stage rate), plus the median cycle time
-- (created -> won, days) of the wins: the basis of new_pipeline_needed.
-- Company-wide by definition; the viewer's scope does not change it.
WITH
{{ include opportunity_state }},
{{ include win_rates }},

cycle AS (
    SELECT
        percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_date - created_date) AS median_cycle_days
    FROM closed_deals
    WHERE won = 1
),

{{ include win_rates_by_stage_rows }}

SELECT *
FROM final
ORDER BY stage
