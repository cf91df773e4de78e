-- fragment funnel_cohort (metrics.md, Funnel): the cohort, one row per
-- opportunity in scope created in [cohort_start, cohort_end], with its state at
-- as_of, its class and its max_stage. It reads the classified state (the class
-- rule of opportunity_state) under the same scope predicate as
-- scoped_opportunities, but skips the company-wide key ranking, which the
-- funnel does not use. Needs opportunity_state and max_stage before it.
cohort AS (
    SELECT
        o.*,
        m.max_stage
    FROM classified AS o
    INNER JOIN max_stage AS m ON m.opportunity_id = o.opportunity_id
    WHERE {{ scope o opportunity }}
        AND o.created_date >= CAST(:cohort_start AS DATE)
        AND o.created_date <= CAST(:cohort_end AS DATE)
)
