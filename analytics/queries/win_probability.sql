-- win_probability (metrics.md, Year-end forecast, p(o)): one row per open
-- opportunity in scope at as_of with its calibrated win probability p_win, the
-- naive stage-only rate it is refined from, and the closed-deal counts behind
-- both. The calibration backtest runs it at earlier as-of dates.
WITH
{{ include opportunity_state }},
{{ include win_rates_cached }},
{{ include win_probability }},

final AS (
    SELECT
        o.opportunity_id,
        o.branch,
        o.product,
        o.opportunity_class,
        o.stage,
        o.annual_value,
        p.probability_stage,
        p.stage_rate,
        p.stage_closed,
        p.segment_closed,
        p.segment_won,
        p.age_bin,
        p.cohort_closed,
        p.p_win
    FROM scoped_opportunities AS o
    INNER JOIN open_probability AS p ON p.opportunity_id = o.opportunity_id
)

SELECT *
FROM final
ORDER BY opportunity_id
