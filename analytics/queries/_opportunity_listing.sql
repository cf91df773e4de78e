-- fragment opportunity_listing (metrics.md, Classes, Stage reached, Problem
-- opportunities): one row per opportunity in scope at as_of (open and closed),
-- or only opportunity_id when it is given, with its class, management labels,
-- problem reasons (open ones only: from problem_flags), slip_count, max_stage,
-- owner, stage, value and dates, and value_order (the state's place by value,
-- unique at as_of: how the list finds its chosen rows again). Open and closed
-- rows are stacked rather than joined: at a million opportunities a join on the
-- text id costs more than the rest. Needs opportunity_state, stage_stints, stint_ages and problem_flags.
-- needs: problem_flags
-- binds: need_abnormal, need_idle, need_is_abnormal, need_is_competitive, need_is_key, need_is_problem, need_is_terminated, need_overdue, need_stale, opportunity_id, search_pattern, statuses
opportunity_listing AS NOT MATERIALIZED (
    SELECT
        opportunity_id, name, customer_name, owner_id, owner_name, team, branch, product,
        industry, business_type, origin, campaign, status, stage, annual_value, created_date,
        expected_close_date, closed_date, competitor, opportunity_class, is_key,
        is_competitive, is_terminated, is_abnormal,
        overdue,
        stint_age_days,
        stale_threshold_days,
        stale,
        idle,
        last_activity_date,
        abnormal,
        slip_count,
        is_problem,
        max_stage,
        value_order
    FROM problem_flags
    WHERE CAST(:opportunity_id AS VARCHAR) IS NULL
        OR opportunity_id = CAST(:opportunity_id AS VARCHAR)
    UNION ALL
    SELECT
        opportunity_id, name, customer_name, owner_id, owner_name, team, branch, product,
        industry, business_type, origin, campaign, status, stage, annual_value, created_date,
        expected_close_date, closed_date, competitor, opportunity_class, is_key,
        is_competitive, is_terminated, is_abnormal,
        FALSE AS overdue,
        NULL AS stint_age_days,
        NULL AS stale_threshold_days,
        FALSE AS stale,
        FALSE AS idle,
        known_last_activity_date AS last_activity_date,
        FALSE AS abnormal,
        known_slip_count AS slip_count,
        FALSE AS is_problem,
        known_max_stage AS max_stage,
        value_order
    FROM scoped_opportunities
    WHERE status <> 'open'
        AND (
            CAST(:opportunity_id AS VARCHAR) IS NULL
            OR opportunity_id = CAST(:opportunity_id AS VARCHAR)
        )
),

-- The explorer's search: text in id, name, customer or owner (search_pattern,
-- a LIKE pattern with its own wildcards escaped; NULL: no text), statuses
-- (',open,won,' style; NULL: all) and labels that must all hold (need_*):
-- matches_search on every row of the listing (so the counts take one pass),
-- searched_opportunities the rows that match.
listing_matches AS NOT MATERIALIZED (
    SELECT
        *,
        (
            CAST(:search_pattern AS VARCHAR) IS NULL
            OR LOWER(CONCAT_WS(' ', opportunity_id, name, customer_name, owner_name))
                LIKE CAST(:search_pattern AS VARCHAR) ESCAPE '!'
        )
        AND (
            CAST(:statuses AS VARCHAR) IS NULL
            OR POSITION(',' || status || ',' IN CAST(:statuses AS VARCHAR)) > 0
        )
        AND (NOT CAST(:need_is_key AS BOOLEAN) OR is_key)
        AND (NOT CAST(:need_is_competitive AS BOOLEAN) OR is_competitive)
        AND (NOT CAST(:need_is_terminated AS BOOLEAN) OR is_terminated)
        AND (NOT CAST(:need_is_abnormal AS BOOLEAN) OR is_abnormal)
        AND (NOT CAST(:need_overdue AS BOOLEAN) OR overdue)
        AND (NOT CAST(:need_stale AS BOOLEAN) OR stale)
        AND (NOT CAST(:need_idle AS BOOLEAN) OR idle)
        AND (NOT CAST(:need_abnormal AS BOOLEAN) OR abnormal)
        AND (NOT CAST(:need_is_problem AS BOOLEAN) OR is_problem) AS matches_search
    FROM opportunity_listing
),

searched_opportunities AS NOT MATERIALIZED (
    SELECT *
    FROM listing_matches
    WHERE matches_search
)
