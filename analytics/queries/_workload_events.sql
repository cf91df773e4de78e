-- fragment workload_events (metrics.md, Workload and capability): one row per
-- thing a manager's scorecard counts, each under the team the manager was in
-- when it happened, with the opportunity's filter columns so the viewer's scope
-- and filters apply to it:
--   open      an opportunity open at as_of (owner's team now, as on every page);
--             its stale and overdue reasons from the problem_flags fragment
--             (the problem list's own definition), p(o) from the forecast's
--             win_probability fragment;
--   created   an opportunity created in W (team on its created date);
--   closed    an opportunity won, lost or terminated in T (team on its closed
--             date), with its cycle days and the hidden-order signal (藏单):
--             won within late_registered_days of creation, or first seen at
--             stage late_registered_stage or later (first stage change held,
--             else first snapshot held; registered directly as won counts);
--   activity  an activity in W by the manager (team on its date), tied to its
--             opportunity when the file names one (else no opportunity columns);
--   support   a support request open at as_of on the manager's open opportunity
--             (one on a closed deal waits for nothing: support_on_closed_deals);
--   won_ytd   an opportunity won this year up to as_of, and
--   target    the manager's target for the year: personal, so under the team now;
--   roster    every active account manager, so one with no deals still shows.
-- Windows are half-open: W is (workload_start, as_of], T (trailing_start, as_of].
-- Needs opportunity_state, stage_stints, stint_ages, problem_flags,
-- win_rates_cached, win_probability and workload_teams before it.
-- needs: problem_flags, win_rates_cached, win_probability, workload_teams
-- binds: as_of, late_registered_days, late_registered_stage, trailing_start, workload_start, year, year_end, year_start
closed_in_trailing AS (
    SELECT o.*
    FROM opportunity_state AS o
    WHERE o.status IN ('won', 'lost', 'terminated')
        AND o.closed_date > CAST(:trailing_start AS DATE)
        AND o.closed_date <= CAST(:as_of AS DATE)
),

first_change AS (
    SELECT opportunity_id, to_status, to_stage
    FROM (
        SELECT
            opportunity_id,
            to_status,
            to_stage,
            ROW_NUMBER() OVER (PARTITION BY opportunity_id ORDER BY changed_at) AS position
        FROM stg_stage_history
        WHERE changed_date <= CAST(:as_of AS DATE)
            AND opportunity_id IN (SELECT opportunity_id FROM closed_in_trailing WHERE status = 'won')
    ) AS ordered_changes
    WHERE position = 1
),

first_snapshot AS (
    SELECT opportunity_id, status, stage
    FROM (
        SELECT
            opportunity_id,
            status,
            stage,
            ROW_NUMBER() OVER (PARTITION BY opportunity_id ORDER BY snapshot_date) AS position
        FROM stg_opportunity_snapshot
        WHERE snapshot_date <= CAST(:as_of AS DATE)
            AND opportunity_id IN (SELECT opportunity_id FROM closed_in_trailing WHERE status = 'won')
    ) AS ordered_snapshots
    WHERE position = 1
),

late_registered AS (
    SELECT
        c.opportunity_id,
        (
            c.closed_date - c.created_date <= :late_registered_days
            OR COALESCE(
                CASE
                    WHEN fc.opportunity_id IS NOT NULL
                        THEN fc.to_status = 'won' OR fc.to_stage >= :late_registered_stage
                    ELSE fs.status = 'won' OR fs.stage >= :late_registered_stage
                END,
                FALSE
            )
        ) AS late
    FROM closed_in_trailing AS c
    LEFT JOIN first_change AS fc ON fc.opportunity_id = c.opportunity_id
    LEFT JOIN first_snapshot AS fs ON fs.opportunity_id = c.opportunity_id
    WHERE c.status = 'won'
),

workload_events AS MATERIALIZED (
    SELECT
        'open' AS kind,
        o.owner_id,
        o.team,
        o.branch,
        o.product,
        o.industry,
        o.business_type,
        o.origin,
        o.campaign,
        o.opportunity_class,
        o.created_date,
        o.annual_value AS amount,
        o.is_key,
        COALESCE(f.stale, FALSE) AS stale,
        COALESCE(f.overdue, FALSE) AS overdue,
        COALESCE(p.p_win, 0) * o.annual_value AS expected_value,
        CASE
            WHEN o.expected_close_date IS NULL OR o.expected_close_date <= CAST(:year_end AS DATE)
                THEN COALESCE(p.p_win, 0) * o.annual_value
            ELSE 0
        END AS expected_value_year,
        FALSE AS is_won,
        FALSE AS is_lost,
        CAST(NULL AS INTEGER) AS cycle_days,
        FALSE AS late
    FROM scoped_opportunities AS o
    LEFT JOIN problem_flags AS f ON f.opportunity_id = o.opportunity_id
    LEFT JOIN open_probability AS p ON p.opportunity_id = o.opportunity_id
    WHERE o.status = 'open'

    UNION ALL
    SELECT
        'created', o.owner_id, d.created_team, d.created_branch, o.product, o.industry,
        o.business_type, o.origin, o.campaign, o.opportunity_class, o.created_date,
        o.annual_value, o.is_key, FALSE, FALSE, 0, 0, FALSE, FALSE, CAST(NULL AS INTEGER), FALSE
    FROM opportunity_state AS o
    INNER JOIN deal_teams AS d ON d.opportunity_id = o.opportunity_id
    WHERE o.created_date > CAST(:workload_start AS DATE)
        AND o.created_date <= CAST(:as_of AS DATE)

    UNION ALL
    SELECT
        'closed', c.owner_id, d.closed_team, d.closed_branch, c.product, c.industry,
        c.business_type, c.origin, c.campaign, c.opportunity_class, c.created_date,
        c.annual_value, c.is_key, FALSE, FALSE, 0, 0,
        c.status = 'won',
        c.status = 'lost',
        CASE WHEN c.status = 'won' THEN CAST(c.closed_date - c.created_date AS INTEGER) END,
        COALESCE(lr.late, FALSE)
    FROM closed_in_trailing AS c
    INNER JOIN deal_teams AS d ON d.opportunity_id = c.opportunity_id
    LEFT JOIN late_registered AS lr ON lr.opportunity_id = c.opportunity_id

    UNION ALL
    SELECT
        'activity',
        a.staff_id,
        CASE WHEN h.staff_id IS NULL THEN a.team ELSE h.team END,
        CASE WHEN h.staff_id IS NULL THEN a.branch ELSE h.branch END,
        o.product, o.industry, o.business_type, o.origin, o.campaign, o.opportunity_class,
        o.created_date, 0, FALSE, FALSE, FALSE, 0, 0, FALSE, FALSE, CAST(NULL AS INTEGER), FALSE
    FROM stg_activities AS a
    LEFT JOIN opportunity_state AS o ON o.opportunity_id = a.opportunity_id
    LEFT JOIN team_history AS h
        ON h.staff_id = a.staff_id
        AND a.activity_date >= h.valid_from
        AND (h.valid_to IS NULL OR a.activity_date <= h.valid_to)
    WHERE a.activity_date > CAST(:workload_start AS DATE)
        AND a.activity_date <= CAST(:as_of AS DATE)

    UNION ALL
    SELECT
        'support', o.owner_id, o.team, o.branch, o.product, o.industry, o.business_type,
        o.origin, o.campaign, o.opportunity_class, o.created_date,
        0, o.is_key, FALSE, FALSE, 0, 0, FALSE, FALSE, CAST(NULL AS INTEGER), FALSE
    FROM stg_support_requests AS s
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = s.opportunity_id
    WHERE s.requested_date <= CAST(:as_of AS DATE)
        AND (s.resolved_date IS NULL OR s.resolved_date > CAST(:as_of AS DATE))
        AND o.status = 'open'

    UNION ALL
    SELECT
        'won_ytd', o.owner_id, o.team, o.branch, o.product, o.industry, o.business_type,
        o.origin, o.campaign, o.opportunity_class, o.created_date,
        o.annual_value, o.is_key, FALSE, FALSE, 0, 0, TRUE, FALSE, CAST(NULL AS INTEGER), FALSE
    FROM scoped_opportunities AS o
    WHERE o.status = 'won'
        AND o.closed_date >= CAST(:year_start AS DATE)
        AND o.closed_date <= CAST(:as_of AS DATE)

    UNION ALL
    SELECT
        'target', t.staff_id, s.team, s.branch,
        CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
        CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS DATE),
        t.amount, FALSE, FALSE, FALSE, 0, 0, FALSE, FALSE, CAST(NULL AS INTEGER), FALSE
    FROM stg_targets AS t
    LEFT JOIN stg_org AS s ON s.staff_id = t.staff_id
    WHERE t.year = :year

    UNION ALL
    SELECT
        'roster', s.staff_id, s.team, s.branch,
        CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
        CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS DATE),
        0, FALSE, FALSE, FALSE, 0, 0, FALSE, FALSE, CAST(NULL AS INTEGER), FALSE
    FROM stg_org AS s
    WHERE s.role = 'account_manager' AND s.active
)
