-- forecast_deal_names_past (metrics.md, Why the forecast moved): the name, customer
-- and owner of up to 16 deals (:deal_0 ... :deal_15, unused slots null) open in
-- scope at an earlier snapshot (the bridge's A), as forecast_deal_names has them,
-- but over the backtest states the load keeps per date (past_state) and that
-- snapshot's own rows: A's full opportunity facts are not kept after a newer load,
-- and building them to name a few deals took 9-10 s at 1,000,000 opportunities.
WITH
{{ include past_state }}

SELECT o.opportunity_id, s.name, s.customer_name, s.owner_name
FROM scoped_opportunities AS o
INNER JOIN stg_opportunity_snapshot AS s ON s.opportunity_id = o.opportunity_id
INNER JOIN past_snapshot AS p ON p.snapshot_date = s.snapshot_date
WHERE o.status = 'open'
    AND o.opportunity_id IN (:deal_0, :deal_1, :deal_2, :deal_3, :deal_4, :deal_5, :deal_6, :deal_7, :deal_8, :deal_9, :deal_10, :deal_11, :deal_12, :deal_13, :deal_14, :deal_15)
ORDER BY o.opportunity_id
