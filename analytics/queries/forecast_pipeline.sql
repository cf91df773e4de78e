-- forecast_pipeline (metrics.md, Year-end forecast, pipeline_expected): one row
-- per open opportunity in scope at as_of with p(o), its effective close month
-- (an overdue or missing expected close date counts as as_of's month) as
-- close_month = months from January of year Y (1..12 in Y, 13 and up later),
-- m(o) = months_this_year = the months of Y after the close month (revenue
-- starts the month after signing, so a December close adds nothing), and
-- expected_revenue = p(o) x annual_value x m(o) / 12.
WITH
{{ include opportunity_state }},
{{ include max_stage }},
{{ include win_rates }},
{{ include win_probability }},

timed AS (
    SELECT
        o.*,
        p.p_win,
        p.stage_rate,
        CASE
            WHEN o.expected_close_date IS NULL OR o.expected_close_date < CAST(:as_of AS DATE)
                THEN CAST(:as_of AS DATE)
            ELSE o.expected_close_date
        END AS effective_close_date
    FROM scoped_opportunities AS o
    INNER JOIN open_probability AS p ON p.opportunity_id = o.opportunity_id
),

months AS (
    SELECT
        t.*,
        CAST(
            (EXTRACT(YEAR FROM effective_close_date) - :year) * 12 + EXTRACT(MONTH FROM effective_close_date)
            AS INTEGER
        ) AS close_month
    FROM timed AS t
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
        opportunity_class,
        stage,
        is_key,
        annual_value,
        expected_close_date,
        close_month,
        GREATEST(12 - close_month, 0) AS months_this_year,
        p_win,
        stage_rate,
        p_win * annual_value * GREATEST(12 - close_month, 0) / 12.0 AS expected_revenue
    FROM months
)

SELECT *
FROM final
ORDER BY expected_revenue DESC, opportunity_id
