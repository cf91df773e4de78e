-- fragment win_probability (metrics.md, Year-end forecast, p(o)): one row per
-- open opportunity in scope with its calibrated win probability
--   p_win = (segment_won + shrinkage x stage_rate) / (segment_closed + shrinkage),
-- the segment being (class, product) at the opportunity's current stage (stage
-- 5 counts as won_stage), so a segment with few closed deals falls back to the
-- stage rate. stage_rate alone is the naive baseline the calibration compares
-- with. A stage no closed deal reached has rate 0 (no evidence of wins).
-- p_win is at most :probability_open_max: a closed deal that reached the won
-- stage was won by definition, so history alone gives an open deal at stage 4
-- or 5 a probability of 1, yet a deal still open is not won until it closes.
-- Needs opportunity_state, max_stage and win_rates before it.
open_probability AS (
    SELECT
        o.opportunity_id,
        LEAST(o.stage, CAST(:won_stage AS INTEGER)) AS probability_stage,
        COALESCE(r.stage_rate, 0) AS stage_rate,
        COALESCE(r.stage_closed, 0) AS stage_closed,
        COALESCE(g.segment_closed, 0) AS segment_closed,
        COALESCE(g.segment_won, 0) AS segment_won,
        LEAST(
            CASE
                WHEN COALESCE(g.segment_closed, 0) + :probability_shrinkage > 0
                    THEN (COALESCE(g.segment_won, 0) + :probability_shrinkage * COALESCE(r.stage_rate, 0))
                        / (COALESCE(g.segment_closed, 0) + :probability_shrinkage)
                ELSE COALESCE(r.stage_rate, 0)
            END,
            CAST(:probability_open_max AS DOUBLE PRECISION)
        ) AS p_win
    FROM scoped_opportunities AS o
    LEFT JOIN stage_rates AS r ON r.stage = LEAST(o.stage, CAST(:won_stage AS INTEGER))
    LEFT JOIN segment_rates AS g
        ON g.stage = LEAST(o.stage, CAST(:won_stage AS INTEGER))
        AND g.opportunity_class = o.opportunity_class
        AND g.product = o.product
    WHERE o.status = 'open'
)
