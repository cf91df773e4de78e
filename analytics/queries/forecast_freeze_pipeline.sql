-- forecast_freeze_pipeline (metrics.md, Year-end forecast; analytics/forecast/freeze.py):
-- the open pipeline of forecast_pipeline.sql (the same deals, p(o), close_month and
-- expected_revenue: both read the forecast_deals fragment) in the few rows the
-- frozen forecast needs, instead of one row per deal.
--
-- A deal's revenue this year depends only on p = p(o), v = annual_value and its
-- close month, so the simulation (analytics/forecast/simulate.py) needs one row
-- per deal only for the deals it may draw one by one; every other deal enters
-- through sums per branch x product x close_month.  Rows with candidate TRUE are
-- those deals, in forecast_pipeline's order (expected_revenue DESC,
-- opportunity_id), which fixes the order of the random draws; rows with
-- candidate FALSE are the sums over all other deals: deals, Σ p·v, Σ p·v², Σ p²·v²
-- and Σ expected_revenue.
--
-- A deal varies when its revenue this year is not certain: p > 0, v <> 0, some
-- close month it may slip to still earns (moment_a > 0), and it may lose (p < 1)
-- or slip to months that earn differently.  The simulation draws one by one
-- every deal that varies when they are at most exact_budget, else each line's
-- exact_per_line largest by variance and then the largest overall; variance =
-- p·v²·moment_a − (p·v·moment_b)², from the close month's moments that the caller
-- puts in the temporary table forecast_close_moments (close months missing from
-- it earn nothing this year).  The moments' rows carry the stage whose timing they
-- draw (setting slip_stage_prior; -1: the pooled timing, for a stage without rows of
-- its own, and every deal when the timing is one company-wide curve); the rows and
-- sums carry it too, so the simulation draws each stage's timing.  Candidates are every deal that varies when they
-- are at most exact_budget, else those ranked within candidate_rank overall or
-- line_candidate_rank in their line: twice what the simulation takes, so that
-- rounding differences between this ranking and numpy's cannot leave out a deal
-- it takes.
WITH
{{ include forecast_deals }},

timing_stages AS (
    SELECT DISTINCT stage FROM forecast_close_moments WHERE stage >= 0
),

valued AS (
    SELECT
        d.opportunity_id,
        d.branch,
        d.product,
        d.close_month,
        COALESCE(t.stage, -1) AS timing_stage,
        d.p_win,
        d.annual_value,
        d.expected_revenue,
        d.p_win * d.annual_value AS pv,
        COALESCE(m.moment_a, 0) AS moment_a,
        COALESCE(m.moment_b, 0) AS moment_b,
        COALESCE(m.certain_if_won, TRUE) AS certain_if_won
    FROM forecast_deals AS d
    LEFT JOIN timing_stages AS t ON t.stage = d.stage
    LEFT JOIN forecast_close_moments AS m
        ON m.close_month = d.close_month AND m.stage = COALESCE(t.stage, -1)
),

flagged AS (
    SELECT
        v.*,
        v.pv * v.annual_value * v.moment_a - (v.pv * v.moment_b) * (v.pv * v.moment_b) AS variance,
        (
            v.p_win > 0 AND v.annual_value <> 0 AND v.moment_a > 0
            AND (v.p_win < 1 OR NOT v.certain_if_won)
        ) AS varies
    FROM valued AS v
),

ranked AS (
    SELECT
        f.*,
        SUM(CASE WHEN f.varies THEN 1 ELSE 0 END) OVER () AS varying_deals,
        ROW_NUMBER() OVER (
            ORDER BY f.varies DESC, f.variance DESC, f.expected_revenue DESC, f.opportunity_id
        ) AS variance_rank,
        ROW_NUMBER() OVER (
            PARTITION BY f.branch, f.product
            ORDER BY f.varies DESC, f.variance DESC, f.expected_revenue DESC, f.opportunity_id
        ) AS line_variance_rank
    FROM flagged AS f
),

chosen AS (
    SELECT
        r.*,
        (
            r.varies AND (
                r.varying_deals <= :exact_budget
                OR r.variance_rank <= :candidate_rank
                OR r.line_variance_rank <= :line_candidate_rank
            )
        ) AS candidate
    FROM ranked AS r
)

SELECT
    TRUE AS candidate,
    opportunity_id,
    branch,
    product,
    close_month,
    timing_stage AS stage,
    p_win,
    annual_value,
    expected_revenue,
    1 AS deals,
    pv AS sum_pv,
    pv * annual_value AS sum_pvv,
    pv * pv AS sum_ppvv
FROM chosen
WHERE candidate

UNION ALL

SELECT
    FALSE AS candidate,
    NULL AS opportunity_id,
    branch,
    product,
    close_month,
    timing_stage AS stage,
    NULL AS p_win,
    NULL AS annual_value,
    SUM(expected_revenue) AS expected_revenue,
    COUNT(*) AS deals,
    SUM(pv) AS sum_pv,
    SUM(pv * annual_value) AS sum_pvv,
    SUM(pv * pv) AS sum_ppvv
FROM chosen
WHERE NOT candidate
GROUP BY branch, product, close_month, timing_stage

ORDER BY candidate DESC, expected_revenue DESC, opportunity_id
