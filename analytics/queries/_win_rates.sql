-- fragment win_rates (metrics.md, Year-end forecast, p(o)): the company's own
-- closed deals in the look-back window (closed_date in (lookback_start, as_of]),
-- company-wide so that a deal's probability does not depend on who is looking,
-- expanded to one row per stage each deal reached (a skipped stage counts as
-- passed through); stage_rates = won / closed among deals that reached stage k,
-- segment_rates the same per segment (class x product) for the shrinkage.
-- Needs opportunity_state and max_stage before it; binds won_stage.
closed_deals AS (
    SELECT
        s.opportunity_id,
        s.opportunity_class,
        s.product,
        s.created_date,
        s.closed_date,
        CASE WHEN s.status = 'won' THEN 1 ELSE 0 END AS won,
        m.max_stage
    FROM opportunity_state AS s
    INNER JOIN max_stage AS m ON m.opportunity_id = s.opportunity_id
    WHERE s.status IN ('won', 'lost', 'terminated')
        AND s.closed_date > CAST(:lookback_start AS DATE)
        AND s.closed_date <= CAST(:as_of AS DATE)
),

stage_levels AS (
    SELECT CAST(g AS INTEGER) AS stage
    FROM generate_series(0, CAST(:won_stage AS INTEGER)) AS levels (g)
),

closed_by_stage AS (
    SELECT c.opportunity_id, c.opportunity_class, c.product, c.won, k.stage
    FROM closed_deals AS c
    INNER JOIN stage_levels AS k ON k.stage <= c.max_stage
),

stage_rates AS (
    SELECT
        stage,
        COUNT(*) AS stage_closed,
        SUM(won) AS stage_won,
        CAST(SUM(won) AS DOUBLE PRECISION) / COUNT(*) AS stage_rate
    FROM closed_by_stage
    GROUP BY stage
),

segment_rates AS (
    SELECT
        stage,
        opportunity_class,
        product,
        COUNT(*) AS segment_closed,
        SUM(won) AS segment_won
    FROM closed_by_stage
    GROUP BY stage, opportunity_class, product
)
