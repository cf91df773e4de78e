-- class_summary (metrics.md, Classes): one row per class (major, important,
-- ordinary_1, ordinary_2, small; every class even when empty) of the
-- opportunities in scope at as_of: how many and their value, how many open and
-- their value, and how many carry each management label (key, competitive,
-- terminated, abnormal). The class and label rules live in opportunity_state.
WITH
{{ include opportunity_state }},

classes AS (
    SELECT opportunity_class
    FROM (
        VALUES ('major'), ('important'), ('ordinary_1'), ('ordinary_2'), ('small')
    ) AS c (opportunity_class)
),

counted AS (
    SELECT
        opportunity_class,
        COUNT(*) AS opportunities,
        SUM(annual_value) AS value,
        COUNT(*) FILTER (WHERE status = 'open') AS open_count,
        SUM(annual_value) FILTER (WHERE status = 'open') AS open_value,
        COUNT(*) FILTER (WHERE is_key) AS key,
        COUNT(*) FILTER (WHERE is_competitive) AS competitive,
        COUNT(*) FILTER (WHERE is_terminated) AS terminated,
        COUNT(*) FILTER (WHERE is_abnormal) AS abnormal
    FROM scoped_opportunities
    GROUP BY opportunity_class
),

final AS (
    SELECT
        c.opportunity_class,
        CAST(COALESCE(n.opportunities, 0) AS BIGINT) AS opportunities,
        CAST(COALESCE(n.value, 0) AS DOUBLE PRECISION) AS value,
        CAST(COALESCE(n.open_count, 0) AS BIGINT) AS open_count,
        CAST(COALESCE(n.open_value, 0) AS DOUBLE PRECISION) AS open_value,
        CAST(COALESCE(n.key, 0) AS BIGINT) AS key,
        CAST(COALESCE(n.competitive, 0) AS BIGINT) AS competitive,
        CAST(COALESCE(n.terminated, 0) AS BIGINT) AS terminated,
        CAST(COALESCE(n.abnormal, 0) AS BIGINT) AS abnormal
    FROM classes AS c
    LEFT JOIN counted AS n ON n.opportunity_class = c.opportunity_class
)

SELECT *
FROM final
