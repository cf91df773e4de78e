-- funnel_breakdown (metrics.md, Funnel): the funnel of the same cohort per
-- segment of each dimension (product, industry, campaign, branch, origin,
-- class): one row per dimension x segment x stage 0-4 with reached,
-- reached_value, conversion and the segment's totals. weakest_step marks the
-- stage whose conversion is the segment's lowest (below 1), so the weak step
-- of each segment stands out. A NULL segment is "not given" (e.g. no campaign).
WITH
{{ include opportunity_state }},
{{ include max_stage }},
{{ include funnel_cohort }},

segment_histogram AS (
    SELECT
        CASE
            WHEN GROUPING(product) = 0 THEN 'product'
            WHEN GROUPING(industry) = 0 THEN 'industry'
            WHEN GROUPING(campaign) = 0 THEN 'campaign'
            WHEN GROUPING(branch) = 0 THEN 'branch'
            WHEN GROUPING(origin) = 0 THEN 'origin'
            ELSE 'class'
        END AS dimension,
        CAST(COALESCE(product, industry, campaign, branch, origin, opportunity_class) AS VARCHAR)
            AS segment,
        max_stage,
        COUNT(*) AS opportunities,
        SUM(annual_value) AS value,
        COUNT(*) FILTER (WHERE status = 'won') AS won,
        SUM(annual_value) FILTER (WHERE status = 'won') AS won_value,
        COUNT(*) FILTER (WHERE status = 'lost') AS lost,
        SUM(annual_value) FILTER (WHERE status = 'lost') AS lost_value,
        COUNT(*) FILTER (WHERE status = 'terminated') AS terminated,
        SUM(annual_value) FILTER (WHERE status = 'terminated') AS terminated_value
    FROM cohort
    GROUP BY GROUPING SETS (
        (product, max_stage),
        (industry, max_stage),
        (campaign, max_stage),
        (branch, max_stage),
        (origin, max_stage),
        (opportunity_class, max_stage)
    )
),

funnel_segments AS (
    SELECT DISTINCT dimension, segment
    FROM segment_histogram
),

{{ include funnel_steps }},

final AS (
    SELECT
        dimension,
        segment,
        stage,
        reached,
        reached_value,
        conversion,
        COALESCE(
            conversion < 1
            AND conversion = MIN(conversion) OVER (PARTITION BY dimension, segment),
            FALSE
        ) AS weakest_step,
        cohort,
        cohort_value,
        won,
        won_value,
        closed,
        closed_value,
        win_rate_cohort,
        win_rate_closed
    FROM funnel_steps
)

SELECT *
FROM final
ORDER BY dimension, cohort DESC, segment, stage
