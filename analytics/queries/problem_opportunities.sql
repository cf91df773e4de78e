-- problem_opportunities (metrics.md, Problem opportunities): one row per open
-- opportunity in scope that is overdue, stale, idle or abnormal, with the
-- reasons as booleans and how often its expected close date slipped before.
-- Idle also requires the opportunity to be older than the idle window: a deal
-- created yesterday has had no chance to be visited.
WITH
{{ include opportunity_state }},
{{ include stage_stints }},

last_activity AS (
    SELECT opportunity_id, MAX(activity_date) AS last_activity_date
    FROM stg_activities
    WHERE opportunity_id IS NOT NULL AND activity_date <= CAST(:as_of AS DATE)
    GROUP BY opportunity_id
),

close_date_changes AS (
    SELECT
        opportunity_id,
        expected_close_date,
        LAG(expected_close_date) OVER (
            PARTITION BY opportunity_id ORDER BY snapshot_date
        ) AS previous_close_date
    FROM stg_opportunity_snapshot
    WHERE snapshot_date <= CAST(:as_of AS DATE)
),

slips AS (
    SELECT
        opportunity_id,
        SUM(CASE WHEN expected_close_date > previous_close_date THEN 1 ELSE 0 END) AS slip_count
    FROM close_date_changes
    GROUP BY opportunity_id
),

flagged AS (
    SELECT
        o.opportunity_id,
        o.name,
        o.customer_name,
        o.owner_id,
        o.owner_name,
        o.team,
        o.branch,
        o.product,
        o.stage,
        o.annual_value,
        o.expected_close_date,
        o.opportunity_class,
        o.is_key,
        COALESCE(o.expected_close_date < CAST(:as_of AS DATE), FALSE) AS overdue,
        CAST(:as_of AS DATE) - COALESCE(cs.entered_date, o.created_date) AS stint_age_days,
        COALESCE(th.stale_days, :stale_min_days) AS stale_threshold_days,
        (CAST(:as_of AS DATE) - COALESCE(cs.entered_date, o.created_date))
            > COALESCE(th.stale_days, :stale_min_days) AS stale,
        (
            o.created_date <= CAST(:idle_since AS DATE)
            AND COALESCE(la.last_activity_date < CAST(:idle_since AS DATE), TRUE)
        ) AS idle,
        la.last_activity_date,
        o.is_abnormal AS abnormal,
        COALESCE(sl.slip_count, 0) AS slip_count
    FROM scoped_opportunities AS o
    LEFT JOIN current_stints AS cs ON cs.opportunity_id = o.opportunity_id
    LEFT JOIN stage_thresholds AS th ON th.stage = o.stage
    LEFT JOIN last_activity AS la ON la.opportunity_id = o.opportunity_id
    LEFT JOIN slips AS sl ON sl.opportunity_id = o.opportunity_id
    WHERE o.status = 'open'
),

final AS (
    SELECT *
    FROM flagged
    WHERE overdue OR stale OR idle OR abnormal
)

SELECT *
FROM final
ORDER BY is_key DESC, annual_value DESC, opportunity_id
