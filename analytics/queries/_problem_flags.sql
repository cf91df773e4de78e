-- fragment problem_flags (metrics.md, Problem opportunities): one row per open
-- opportunity in scope with its problem reasons: overdue (expected close
-- before overdue_before: more than overdue_grace_days before as_of), stale
-- (current stint over its stage's threshold), idle (no
-- activity since idle_since; only for deals older than the idle window, a deal
-- created yesterday has had no chance to be visited), abnormal; is_problem when
-- any applies; slip_count is how often the expected close date moved later
-- across the snapshots held (slip_count and last_activity_date are the state's
-- known_* facts, defined in build_opportunity_facts.sql).
-- Needs opportunity_state, stage_stints and stint_ages before it.
-- needs: stint_ages
-- binds: idle_since, overdue_before
open_flags AS NOT MATERIALIZED (
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
        COALESCE(sa.expected_close_date < CAST(:overdue_before AS DATE), FALSE) AS overdue,
        sa.stint_entered_date,
        sa.stint_age_days,
        sa.stale_threshold_days,
        sa.stale,
        (
            sa.created_date <= CAST(:idle_since AS DATE)
            AND COALESCE(sa.known_last_activity_date < CAST(:idle_since AS DATE), TRUE)
        ) AS idle,
        sa.known_last_activity_date AS last_activity_date,
        sa.is_abnormal AS abnormal,
        sa.known_slip_count AS slip_count,
        sa.business_type,
        sa.origin,
        sa.campaign,
        sa.status,
        sa.created_date,
        sa.closed_date,
        sa.competitor,
        sa.is_terminated,
        sa.is_abnormal,
        sa.known_max_stage AS max_stage,
        sa.value_order
    FROM stint_ages AS sa
),

problem_flags AS NOT MATERIALIZED (
    SELECT
        *,
        overdue OR stale OR idle OR abnormal AS is_problem
    FROM open_flags
)
