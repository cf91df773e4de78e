-- fragment forecast_deal_rows_cached (metrics.md, Year-end forecast,
-- pipeline_expected): the forecast_deal_rows fragment's open deals in scope at
-- as_of, read from cache_open_deals (built at load for the newest snapshot: the
-- company's open deals with p(o) from the same win_probability fragment) through
-- open_deals_cached, so the viewer's scope and every filter are a WHERE on kept
-- rows instead of p(o) computed over the opportunity state on every view.  Only the
-- columns the forecast's per-deal rows read (forecast_pipeline.sql); stage_rate,
-- the calibration's baseline, is not kept and reads as null.
-- needs: open_deals_cached
forecast_deal_rows AS (
    SELECT
        d.opportunity_id,
        d.name,
        d.customer_name,
        d.owner_id,
        d.owner_name,
        d.team,
        d.branch,
        d.product,
        d.opportunity_class,
        d.stage,
        d.is_key,
        d.annual_value,
        d.expected_close_date,
        d.p_win,
        CAST(NULL AS DOUBLE PRECISION) AS stage_rate
    FROM open_deals AS d
)
