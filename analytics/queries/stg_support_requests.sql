-- stg_support_requests: one row per support request (支撑需求).
SELECT request_id, opportunity_id, type, requested_date, resolved_date
FROM support_requests
