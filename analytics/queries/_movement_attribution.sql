-- fragment movement_attribution (metrics.md, Week-over-week movement): whom and what a
-- pair of sides is attributed to: B's identity and attribution when the deal is in B,
-- else A's (a deal gone from B still counts where it stood in A). An expression over
-- the sides aliased a and b, written once for the movement from scratch
-- (_movement_sides.sql), the derived pair table (build_movement_pairs.sql) and the
-- trend (movement_trend.sql).
-- kind: expression
CASE WHEN b.opportunity_id IS NULL THEN a.name ELSE b.name END AS name,
CASE WHEN b.opportunity_id IS NULL THEN a.customer_name ELSE b.customer_name END AS customer_name,
CASE WHEN b.opportunity_id IS NULL THEN a.owner_id ELSE b.owner_id END AS owner_id,
CASE WHEN b.opportunity_id IS NULL THEN a.owner_name ELSE b.owner_name END AS owner_name,
CASE WHEN b.opportunity_id IS NULL THEN a.team ELSE b.team END AS team,
CASE WHEN b.opportunity_id IS NULL THEN a.branch ELSE b.branch END AS branch,
CASE WHEN b.opportunity_id IS NULL THEN a.product ELSE b.product END AS product,
CASE WHEN b.opportunity_id IS NULL THEN a.industry ELSE b.industry END AS industry,
CASE WHEN b.opportunity_id IS NULL THEN a.business_type ELSE b.business_type END AS business_type,
CASE WHEN b.opportunity_id IS NULL THEN a.origin ELSE b.origin END AS origin,
CASE WHEN b.opportunity_id IS NULL THEN a.campaign ELSE b.campaign END AS campaign,
CASE WHEN b.opportunity_id IS NULL THEN a.created_date ELSE b.created_date END AS created_date
