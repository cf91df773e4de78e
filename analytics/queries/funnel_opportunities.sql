-- funnel_opportunities (metrics.md, Funnel): the opportunities behind one bar of
-- the funnel or one cell of the breakdown: one row per cohort opportunity with
-- max_stage >= reached_stage (and status won when won_only), optionally in one
-- segment of a dimension (a NULL segment means "not given"). Those that
-- stopped earliest come first, so the drop-outs of a step are on top.
WITH
{{ include opportunity_state }},
{{ include max_stage }},
{{ include funnel_cohort }},

segmented AS (
    SELECT
        c.*,
        CASE CAST(:dimension AS VARCHAR)
            WHEN 'product' THEN c.product
            WHEN 'industry' THEN c.industry
            WHEN 'campaign' THEN c.campaign
            WHEN 'branch' THEN c.branch
            WHEN 'origin' THEN c.origin
            WHEN 'class' THEN c.opportunity_class
        END AS segment
    FROM cohort AS c
),

final AS (
    SELECT
        opportunity_id,
        name,
        customer_name,
        owner_id,
        owner_name,
        team,
        branch,
        product,
        industry,
        campaign,
        origin,
        opportunity_class,
        status,
        stage,
        max_stage,
        annual_value,
        created_date,
        expected_close_date,
        closed_date
    FROM segmented
    WHERE max_stage >= CAST(:reached_stage AS INTEGER)
        AND (NOT CAST(:won_only AS BOOLEAN) OR status = 'won')
        AND (
            CAST(:dimension AS VARCHAR) IS NULL
            OR segment IS NOT DISTINCT FROM CAST(:segment AS VARCHAR)
        )
)

SELECT *
FROM final
ORDER BY max_stage, annual_value DESC, opportunity_id
