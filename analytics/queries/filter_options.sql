-- filter_options: one row per (field, value) a viewer may filter on, taken from
-- the opportunities in their scope at as_of (run without filters, so choosing
-- one branch does not hide the others). A team comes with its branch, which
-- names it together with the team (金融一组 exists in several branches).
WITH
{{ include opportunity_state }},

final AS (
    SELECT 'branches' AS field, branch AS value, CAST(NULL AS VARCHAR) AS branch
    FROM scoped_opportunities
    WHERE branch IS NOT NULL GROUP BY branch
    UNION ALL
    SELECT 'teams' AS field, team AS value, branch FROM scoped_opportunities
    WHERE team IS NOT NULL GROUP BY branch, team
    UNION ALL
    SELECT 'products' AS field, product AS value, CAST(NULL AS VARCHAR) FROM scoped_opportunities
    WHERE product IS NOT NULL GROUP BY product
    UNION ALL
    SELECT 'industries' AS field, industry AS value, CAST(NULL AS VARCHAR) FROM scoped_opportunities
    WHERE industry IS NOT NULL GROUP BY industry
)

SELECT field, value, branch
FROM final
ORDER BY field, branch, value
