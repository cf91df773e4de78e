-- longest_open_stints (metrics.md, Stage duration): per stage, the open
-- opportunities in scope sitting longest in their current stint (at most
-- longest_stints_shown each), with the age, the stage's stale threshold and
-- whether it is stale.
WITH
{{ include opportunity_state }},
{{ include stage_stints }},
{{ include stint_ages }},

-- Ranking every open deal by age with all its columns is the costly part, so
-- first find each stage's cut-off age (the age of its longest_stints_shown-th
-- longest stint) on the ages alone, then rank only the deals at or above it.
age_cutoffs AS (
    SELECT stage, MIN(stint_age_days) AS cutoff_days
    FROM (
        SELECT
            stage,
            stint_age_days,
            ROW_NUMBER() OVER (PARTITION BY stage ORDER BY stint_age_days DESC) AS age_order
        FROM stint_ages
    ) AS ordered
    WHERE age_order <= :longest_stints_shown
    GROUP BY stage
),

candidates AS (
    SELECT sa.*
    FROM stint_ages AS sa
    INNER JOIN age_cutoffs AS c ON c.stage = sa.stage AND sa.stint_age_days >= c.cutoff_days
),

ranked AS (
    SELECT
        stage,
        opportunity_id,
        name,
        customer_name,
        owner_id,
        owner_name,
        team,
        branch,
        product,
        annual_value,
        expected_close_date,
        is_key,
        stint_entered_date,
        stint_age_days,
        stale_threshold_days,
        stale,
        ROW_NUMBER() OVER (
            PARTITION BY stage ORDER BY stint_age_days DESC, annual_value DESC, opportunity_id
        ) AS age_rank
    FROM candidates
),

final AS (
    SELECT *
    FROM ranked
    WHERE age_rank <= :longest_stints_shown
)

SELECT *
FROM final
ORDER BY stage, age_rank
