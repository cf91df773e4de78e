-- forecast_deal_names_kept (metrics.md, Year-end forecast, drivers): the name,
-- customer and owner of up to 16 deals (:deal_0 ... :deal_15, unused slots null)
-- open in scope at as_of, read from the load's open deals (open_deals_cached): the
-- forecast's top contributors and key deals, named without reading every deal's
-- names (forecast_pipeline_lines.sql).
WITH
{{ include open_deals_cached }}

SELECT opportunity_id, name, customer_name, owner_name
FROM open_deals
WHERE opportunity_id IN (:deal_0, :deal_1, :deal_2, :deal_3, :deal_4, :deal_5, :deal_6, :deal_7, :deal_8, :deal_9, :deal_10, :deal_11, :deal_12, :deal_13, :deal_14, :deal_15)
ORDER BY opportunity_id
