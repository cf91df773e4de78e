-- opportunity_story_stages (the explorer's opportunity story): one row per stage
-- or status change of the opportunity on or before as_of, oldest first, with
-- stage_after, the stage it is in after the change (a close keeps its stage).
-- Only for an opportunity in the viewer's scope at as_of: the rows join
-- scoped_opportunities, so an id outside the scope returns nothing.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        h.changed_at,
        h.changed_date,
        h.from_stage,
        h.to_stage,
        h.to_status,
        COALESCE(h.to_stage, h.from_stage) AS stage_after,
        h.changed_by
    FROM stg_stage_history AS h
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = h.opportunity_id
    WHERE h.opportunity_id = CAST(:opportunity_id AS VARCHAR)
        AND h.changed_date <= CAST(:as_of AS DATE)
)

SELECT *
FROM final
ORDER BY changed_at
