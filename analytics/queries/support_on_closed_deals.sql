-- support_on_closed_deals (metrics.md, Team: support requests waiting): one
-- row per support request still open at as_of on an opportunity already won,
-- lost or terminated, in the viewer's scope and filters: a data question (the
-- request should have been closed, or the deal's status is wrong), not work
-- waiting; with the days since the deal closed (NULL when its closed date is
-- unknown); the longest open first. Grain: support request. Read from the
-- requests built at load (support_open_cached: the support_open rows).
WITH
{{ include support_open_cached }}

SELECT
    request_id,
    type,
    requested_date,
    waited_days,
    opportunity_id,
    name,
    customer_name,
    owner_id,
    owner_name,
    team,
    branch,
    status,
    closed_date,
    CAST(CAST(:as_of AS DATE) - closed_date AS INTEGER) AS closed_days,
    annual_value,
    is_key
FROM support_open
WHERE on_closed_deal
ORDER BY waited_days DESC, request_id
