-- forecast_deal_names (metrics.md, Why the forecast moved): the name, customer
-- and owner of up to 16 deals (:deal_0 ... :deal_15, unused slots null) open in
-- scope at as_of, as forecast_pipeline has them: the forecast bridge's top
-- movers, named without reading every deal's names.
WITH
{{ include opportunity_state }}

SELECT opportunity_id, name, customer_name, owner_name
FROM scoped_opportunities
WHERE status = 'open'
    AND opportunity_id IN (:deal_0, :deal_1, :deal_2, :deal_3, :deal_4, :deal_5, :deal_6, :deal_7, :deal_8, :deal_9, :deal_10, :deal_11, :deal_12, :deal_13, :deal_14, :deal_15)
ORDER BY opportunity_id
