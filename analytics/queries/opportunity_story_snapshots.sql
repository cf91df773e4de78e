-- opportunity_story_snapshots (the explorer's opportunity story): one row per
-- snapshot held on or before as_of that lists the opportunity: stage, status,
-- value and expected close date as exported then (slips show here). Only for an
-- opportunity in the viewer's scope at as_of: the rows join
-- scoped_opportunities, so an id outside the scope returns nothing.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        s.snapshot_date,
        s.stage,
        s.status,
        s.annual_value,
        s.expected_close_date,
        s.owner_name
    FROM stg_opportunity_snapshot AS s
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = s.opportunity_id
    WHERE s.opportunity_id = CAST(:opportunity_id AS VARCHAR)
        AND s.snapshot_date <= CAST(:as_of AS DATE)
)

SELECT *
FROM final
ORDER BY snapshot_date
