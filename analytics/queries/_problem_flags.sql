-- fragment problem_flags (metrics.md, Problem opportunities): one row per open
-- opportunity in scope with its problem reasons: overdue (expected close
-- before as_of), stale (current stint over its stage's threshold), idle (no
-- activity since idle_since; only for deals older than the idle window, a deal
-- created yesterday has had no chance to be visited), abnormal; is_problem when
-- any applies; slip_count is how often the expected close date moved later
-- across the snapshots held (slips and last_activity also serve closed deals).
-- Needs opportunity_state, stage_stints and stint_ages before it.
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

open_flags AS (
    SELECT
        sa.opportunity_id,
        sa.name,
        sa.customer_name,
        sa.owner_id,
        sa.owner_name,
        sa.team,
        sa.branch,
        sa.product,
        sa.industry,
        sa.stage,
        sa.annual_value,
        sa.expected_close_date,
        sa.opportunity_class,
        sa.is_key,
        sa.is_competitive,
        COALESCE(sa.expected_close_date < CAST(:as_of AS DATE), FALSE) AS overdue,
        sa.stint_entered_date,
        sa.stint_age_days,
        sa.stale_threshold_days,
        sa.stale,
        (
            sa.created_date <= CAST(:idle_since AS DATE)
            AND COALESCE(la.last_activity_date < CAST(:idle_since AS DATE), TRUE)
        ) AS idle,
        la.last_activity_date,
        sa.is_abnormal AS abnormal,
        COALESCE(sl.slip_count, 0) AS slip_count
    FROM stint_ages AS sa
    LEFT JOIN last_activity AS la ON la.opportunity_id = sa.opportunity_id
    LEFT JOIN slips AS sl ON sl.opportunity_id = sa.opportunity_id
),

problem_flags AS (
    SELECT
        *,
        overdue OR stale OR idle OR abnormal AS is_problem
    FROM open_flags
)
