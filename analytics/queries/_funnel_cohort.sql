-- fragment funnel_cohort (metrics.md, Funnel): the cohort, one row per
-- opportunity in scope created in [cohort_start, cohort_end], with its state at
-- as_of, its class and its max_stage. It reads the classified state (the class
-- rule of opportunity_state) under the same scope predicate as
-- scoped_opportunities, but skips the company-wide key ranking, which the
-- funnel does not use. Needs opportunity_state before it (max_stage is its
-- known_max_stage, the max_stage fragment's definition).
-- needs: opportunity_state
-- binds: cohort_end, cohort_start
cohort AS (
    SELECT
        o.*,
        o.known_max_stage AS max_stage
    FROM classified AS o
    WHERE {{ scope o opportunity }}
        AND o.created_date >= CAST(:cohort_start AS DATE)
        AND o.created_date <= CAST(:cohort_end AS DATE)
)
