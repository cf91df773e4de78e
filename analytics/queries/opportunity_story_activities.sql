-- opportunity_story_activities (the explorer's opportunity story): one row per
-- sales activity on the opportunity on or before as_of, newest first. Only for
-- an opportunity in the viewer's scope at as_of: the rows join
-- scoped_opportunities, so an id outside the scope returns nothing.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        a.activity_date,
        a.type,
        a.staff_id,
        st.name AS staff_name,
        a.activity_id
    FROM stg_activities AS a
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = a.opportunity_id
    LEFT JOIN stg_org AS st ON st.staff_id = a.staff_id
    WHERE a.opportunity_id = CAST(:opportunity_id AS VARCHAR)
        AND a.activity_date <= CAST(:as_of AS DATE)
)

SELECT *
FROM final
ORDER BY activity_date DESC, activity_id
