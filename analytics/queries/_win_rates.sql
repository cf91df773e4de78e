-- fragment win_rates (metrics.md, Year-end forecast, p(o)): the company's own
-- closed deals in the look-back window (closed_date in (lookback_start, as_of]),
-- company-wide so that a deal's probability does not depend on who is looking,
-- expanded to one row per stage each deal reached (a skipped stage counts as
-- passed through); stage_rates = won / closed among deals that reached stage k,
-- segment_rates the same per segment (class x product), kept as a diagnostic.
-- stage_rates is the naive stage-only baseline; it runs high for an open deal,
-- because a deal seen open at a date is more often one that stays open long,
-- and those lose more often.  So p(o) is learnt from cohorts instead
-- (cohort_rates): at every cohort date (each probability_cohort_step_days back
-- from as_of - probability_horizon_days, inside the look-back window) the deals
-- at each stage up to won_stage, by time in that stage (age_bin: whole
-- probability_age_step_days, the last bin open-ended), that closed within
-- probability_horizon_days after it; cohort_won of cohort_closed won.  Every
-- outcome counted is known at as_of.  A deal counts once per cohort date it was
-- open at, which weighs it by the time it stayed open, as the open deals p(o)
-- is asked about are weighed.  cohort_stage_rates pools the age bins.
-- Needs opportunity_state and max_stage before it; binds won_stage and
-- cohort_dates (analytics.blocks.probability.history_params).
-- needs: max_stage
-- binds: as_of, cohort_dates, lookback_start, probability_age_bins, probability_age_step_days, probability_cohort_step_days, probability_horizon_days, won_stage
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
),

cohort_dates AS (
    SELECT d.cohort_date
    FROM (
        SELECT
            CAST(:as_of AS DATE)
            - CAST(:probability_horizon_days + g * :probability_cohort_step_days AS INTEGER) AS cohort_date
        FROM generate_series(0, CAST(:cohort_dates AS INTEGER) - 1) AS cohort_steps (g)
    ) AS d
    WHERE d.cohort_date > CAST(:lookback_start AS DATE)
),

cohort AS (
    SELECT
        t.stage,
        LEAST(
            CAST(FLOOR((d.cohort_date - t.entered_date) / CAST(:probability_age_step_days AS DOUBLE PRECISION))
                AS INTEGER),
            CAST(:probability_age_bins AS INTEGER) - 1
        ) AS age_bin,
        CASE WHEN s.status = 'won' THEN 1 ELSE 0 END AS won
    FROM cohort_dates AS d
    INNER JOIN cache_stage_stints AS t
        ON t.entered_date <= d.cohort_date
        AND (t.left_date IS NULL OR t.left_date > d.cohort_date)
    INNER JOIN opportunity_state AS s ON s.opportunity_id = t.opportunity_id
    WHERE t.stage <= CAST(:won_stage AS INTEGER)
        AND s.status IN ('won', 'lost', 'terminated')
        AND s.closed_date > d.cohort_date
        AND s.closed_date <= d.cohort_date + CAST(:probability_horizon_days AS INTEGER)
),

cohort_rates AS (
    SELECT stage, age_bin, COUNT(*) AS cohort_closed, SUM(won) AS cohort_won
    FROM cohort
    GROUP BY stage, age_bin
),

cohort_stage_rates AS (
    SELECT
        stage,
        COUNT(*) AS cohort_stage_closed,
        SUM(won) AS cohort_stage_won,
        CAST(SUM(won) AS DOUBLE PRECISION) / COUNT(*) AS cohort_stage_rate
    FROM cohort
    GROUP BY stage
)
