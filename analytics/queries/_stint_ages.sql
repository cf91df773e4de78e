-- fragment stint_ages (metrics.md, Stage duration): one row per open
-- opportunity in scope (all its columns) with the age of its current stint
-- (from entering its stage: known_stint_entered_date, which is the creation
-- date when the history has no open stint) and its stale threshold stale_days[k]
-- (stale_p90_factor × the company-wide p90 of the stage, at least stale_min_days, so staleness does
-- not change with who is looking); stale when the age is over the threshold.
-- Needs opportunity_state and stage_stints before it.
-- needs: opportunity_state, stage_stints
-- binds: as_of, stale_min_days
stint_ages AS NOT MATERIALIZED (
    SELECT
        o.*,
        o.known_stint_entered_date AS stint_entered_date,
        CAST(:as_of AS DATE) - o.known_stint_entered_date AS stint_age_days,
        COALESCE(th.stale_days, :stale_min_days) AS stale_threshold_days,
        (CAST(:as_of AS DATE) - o.known_stint_entered_date)
            > COALESCE(th.stale_days, :stale_min_days) AS stale
    FROM scoped_opportunities AS o
    LEFT JOIN stage_thresholds AS th ON th.stage = o.stage
    WHERE o.status = 'open'
)
