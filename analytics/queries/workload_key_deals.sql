-- workload_key_deals (metrics.md, Classes: key; Problem opportunities; p(o)):
-- one row per open key opportunity in the viewer's scope and filters, with its
-- problem reasons, its win probability and expected value, and how many of its
-- support requests are still open at as_of: the deals a line manager sends
-- people and money to. Grain: opportunity. Read from the open deals built at
-- load (open_deals_cached: the open_deals fragment's rows).
WITH
{{ include open_deals_cached }}

SELECT
    opportunity_id,
    name,
    customer_name,
    owner_id,
    owner_name,
    team,
    branch,
    product,
    stage,
    opportunity_class,
    annual_value,
    expected_close_date,
    p_win,
    expected_value,
    overdue,
    stale,
    idle,
    abnormal,
    is_problem,
    slip_count,
    support_open
FROM open_deals
WHERE is_key
ORDER BY annual_value DESC, opportunity_id
