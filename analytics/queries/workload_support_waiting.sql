-- workload_support_waiting (metrics.md, Team: support requests waiting):
-- one row per support request (支撑需求) still open at as_of on an OPEN
-- opportunity in the viewer's scope and filters, with how many days it has
-- waited; the longest waits first. Requests on closed deals are not a queue:
-- support_on_closed_deals lists them apart. Grain: support request. Read from
-- the requests built at load (support_open_cached: the support_open rows).
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
    stage,
    annual_value,
    is_key
FROM support_open
WHERE NOT on_closed_deal
ORDER BY waited_days DESC, request_id
