-- fragment open_deals (metrics.md, Problem opportunities; Team): one
-- row per open opportunity in scope with what the pages list of it: the
-- scope's columns, class and key label, the problem reasons (problem_flags),
-- p(o) and expected value (p_win x annual_value, 0 without a p(o):
-- win_probability over win_rates_cached) and its support requests still
-- open at as_of. None of it depends on who is looking (the key label, the
-- stale thresholds and p(o)'s rates are company-wide), so build_open_deals.sql
-- keeps the company's rows in cache_open_deals once per data version, as_of
-- and settings, and the pages read them through open_deals_cached; this
-- fragment is the same rows from scratch.
-- needs: problem_flags, win_rates_cached, win_probability
-- binds: as_of
open_deal_support AS (
    SELECT opportunity_id, COUNT(*) AS support_open
    FROM stg_support_requests
    WHERE requested_date <= CAST(:as_of AS DATE)
        AND (resolved_date IS NULL OR resolved_date > CAST(:as_of AS DATE))
    GROUP BY opportunity_id
),

open_deals AS NOT MATERIALIZED (
    SELECT
        f.opportunity_id,
        f.name,
        f.customer_name,
        f.owner_id,
        f.owner_name,
        f.team,
        f.branch,
        f.product,
        f.industry,
        f.business_type,
        f.origin,
        f.campaign,
        f.opportunity_class,
        f.created_date,
        f.stage,
        f.annual_value,
        f.expected_close_date,
        f.is_key,
        f.is_competitive,
        f.overdue,
        f.stint_age_days,
        f.stale_threshold_days,
        f.stale,
        f.idle,
        f.last_activity_date,
        f.abnormal,
        f.is_problem,
        f.slip_count,
        COALESCE(p.p_win, 0) AS p_win,
        COALESCE(p.p_win, 0) * f.annual_value AS expected_value,
        COALESCE(s.support_open, 0) AS support_open,
        f.value_order
    FROM problem_flags AS f
    LEFT JOIN open_probability AS p ON p.opportunity_id = f.opportunity_id
    LEFT JOIN open_deal_support AS s ON s.opportunity_id = f.opportunity_id
)
