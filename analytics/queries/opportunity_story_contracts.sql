-- opportunity_story_contracts (the explorer's opportunity story): one row per
-- contract signed for the opportunity on or before as_of. Only for an
-- opportunity in the viewer's scope at as_of: the rows join
-- scoped_opportunities, so an id outside the scope returns nothing.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        c.contract_id,
        c.signed_date,
        c.product,
        c.amount,
        c.term_months
    FROM stg_contracts AS c
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = c.opportunity_id
    WHERE c.opportunity_id = CAST(:opportunity_id AS VARCHAR)
        AND c.signed_date <= CAST(:as_of AS DATE)
)

SELECT *
FROM final
ORDER BY signed_date, contract_id
