-- fragment win_probability (metrics.md, Year-end forecast, p(o)): one row per
-- open opportunity in scope with its win probability
--   cohort_p = (cohort_won + shrinkage x prior) / (cohort_closed + shrinkage)
-- from the cohort (win_rates: deals seen at the same stage with the same time in
-- stage at past dates, that closed within the horizon) of the opportunity's
-- stage and age_bin (as_of - the day it entered its stage: its newest stint in
-- cache_stage_stints, else its creation), the prior being the stage's pooled
-- cohort rate (or the stage-only rate where there is no cohort), so a thin age
-- bin falls back to its stage; then the segment's (class x product) lift over
-- its stage, segment_p / stage_rate, with
--   segment_p = (segment_won + shrinkage x stage_rate) / (segment_closed + shrinkage)
-- (1 for a segment with no history):  p_win = cohort_p x segment_p / stage_rate.
-- At won_stage (or stage 5) the deals seen open there at past dates tell how
-- often an open deal at that stage goes on to win: p_win = cohort_p of its age
-- bin, no segment lift and no cap (on the demo every one of them won).  Without
-- such a cohort p_win = segment_p, at most :probability_open_max: a closed deal
-- that reached the won stage was won by definition, so closed deals alone give
-- an open deal at stage 4 or 5 a probability of 1, yet a deal still open is not
-- won until it closes.  Below won_stage p_win is at most :probability_open_max
-- too.  stage_rate alone is the naive baseline the calibration compares with
-- (closed deals only: it runs high, see win_rates).  A stage no closed deal reached has rate 0.
-- Needs opportunity_state and the rate tables before it: win_rates_cached (the
-- live pages: built once per data version and as_of) or win_rates (the
-- calibration backtest at past dates), included by the query, which chooses.
-- binds: as_of, probability_age_bins, probability_age_step_days, probability_open_max, probability_shrinkage, won_stage
current_stints AS (
    SELECT t.opportunity_id, MAX(t.entered_date) AS stint_entered_date
    FROM cache_stage_stints AS t
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = t.opportunity_id
    WHERE o.status = 'open' AND t.entered_date <= CAST(:as_of AS DATE)
        AND (t.left_date IS NULL OR t.left_date > CAST(:as_of AS DATE))
    GROUP BY t.opportunity_id
),

open_probability_parts AS (
    SELECT
        o.opportunity_id,
        LEAST(o.stage, CAST(:won_stage AS INTEGER)) AS probability_stage,
        LEAST(
            CAST(FLOOR((CAST(:as_of AS DATE) - COALESCE(i.stint_entered_date, o.created_date))
                / CAST(:probability_age_step_days AS DOUBLE PRECISION)) AS INTEGER),
            CAST(:probability_age_bins AS INTEGER) - 1
        ) AS age_bin,
        COALESCE(r.stage_rate, 0) AS stage_rate,
        COALESCE(r.stage_closed, 0) AS stage_closed,
        COALESCE(g.segment_closed, 0) AS segment_closed,
        COALESCE(g.segment_won, 0) AS segment_won,
        COALESCE(c.cohort_stage_rate, r.stage_rate, 0) AS cohort_prior
    FROM scoped_opportunities AS o
    LEFT JOIN stage_rates AS r ON r.stage = LEAST(o.stage, CAST(:won_stage AS INTEGER))
    LEFT JOIN segment_rates AS g
        ON g.stage = LEAST(o.stage, CAST(:won_stage AS INTEGER))
        AND g.opportunity_class = o.opportunity_class
        AND g.product = o.product
    LEFT JOIN current_stints AS i ON i.opportunity_id = o.opportunity_id
    LEFT JOIN cohort_stage_rates AS c ON c.stage = LEAST(o.stage, CAST(:won_stage AS INTEGER))
    WHERE o.status = 'open'
),

open_probability AS (
    SELECT
        p.opportunity_id,
        p.probability_stage,
        p.age_bin,
        p.stage_rate,
        p.stage_closed,
        p.segment_closed,
        p.segment_won,
        p.cohort_closed,
        CASE
            WHEN p.probability_stage >= CAST(:won_stage AS INTEGER) AND p.cohort_closed > 0
                THEN p.cohort_p
            ELSE LEAST(
                CASE
                    WHEN p.probability_stage >= CAST(:won_stage AS INTEGER) THEN p.segment_p
                    WHEN p.stage_rate > 0 THEN p.cohort_p * p.segment_p / p.stage_rate
                    ELSE p.cohort_p
                END,
                CAST(:probability_open_max AS DOUBLE PRECISION)
            )
        END AS p_win
    FROM (
        SELECT
            p.*,
            COALESCE(b.cohort_closed, 0) AS cohort_closed,
            CASE
                WHEN COALESCE(b.cohort_closed, 0) + :probability_shrinkage > 0
                    THEN (COALESCE(b.cohort_won, 0) + :probability_shrinkage * p.cohort_prior)
                        / (COALESCE(b.cohort_closed, 0) + :probability_shrinkage)
                ELSE p.cohort_prior
            END AS cohort_p,
            CASE
                WHEN p.segment_closed + :probability_shrinkage > 0
                    THEN (p.segment_won + :probability_shrinkage * p.stage_rate)
                        / (p.segment_closed + :probability_shrinkage)
                ELSE p.stage_rate
            END AS segment_p
        FROM open_probability_parts AS p
        LEFT JOIN cohort_rates AS b ON b.stage = p.probability_stage AND b.age_bin = p.age_bin
    ) AS p
)
