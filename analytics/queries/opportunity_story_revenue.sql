-- opportunity_story_revenue (the explorer's opportunity story): one row per
-- accounting period (帐期) x fee item of the revenue recognised on the
-- opportunity's contracts, up to as_of's period. Only for an opportunity in the
-- viewer's scope at as_of: the rows join scoped_opportunities, so an id outside
-- the scope returns nothing.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        r.period,
        r.fee_item,
        CAST(SUM(r.amount) AS DOUBLE PRECISION) AS amount
    FROM stg_revenue AS r
    INNER JOIN stg_contracts AS c ON c.contract_id = r.contract_id
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = c.opportunity_id
    WHERE c.opportunity_id = CAST(:opportunity_id AS VARCHAR)
        AND r.period <= :as_of_period
    GROUP BY r.period, r.fee_item
)

SELECT *
FROM final
ORDER BY period, fee_item
