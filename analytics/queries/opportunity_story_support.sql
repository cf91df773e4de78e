-- opportunity_story_support (the explorer's opportunity story): one row per
-- support request (支撑需求) raised on or before as_of, with whether it was resolved
-- by as_of, oldest first. Only for an opportunity in the viewer's scope at
-- as_of: the rows join scoped_opportunities, so an id outside the scope returns
-- nothing.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        r.request_id,
        r.type,
        r.requested_date,
        CASE WHEN r.resolved_date <= CAST(:as_of AS DATE) THEN r.resolved_date END AS resolved_date,
        (r.resolved_date IS NULL OR r.resolved_date > CAST(:as_of AS DATE)) AS still_open
    FROM stg_support_requests AS r
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = r.opportunity_id
    WHERE r.opportunity_id = CAST(:opportunity_id AS VARCHAR)
        AND r.requested_date <= CAST(:as_of AS DATE)
)

SELECT *
FROM final
ORDER BY requested_date, request_id
