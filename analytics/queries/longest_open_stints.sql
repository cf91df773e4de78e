-- longest_open_stints (metrics.md, Stage duration): per stage, the open
-- opportunities in scope sitting longest in their current stint (at most
-- longest_stints_shown each; ties: larger value first, then id), with the age,
-- the stage's stale threshold and whether it is stale.
WITH
{{ include stint_ages }},

-- Ranking every open deal by age with all its columns is the costly part. So
-- each stage's cut-off age (the age of its longest_stints_shown-th longest
-- stint) is found on the ages alone, the deals at or above it are ranked on
-- their ages (ties: larger value first, then id, which value_order encodes),
-- and only the chosen ones are read whole, found again by value_order (unique
-- at as_of).
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

chosen AS (
    SELECT value_order, age_rank
    FROM (
        SELECT
            sa.value_order,
            ROW_NUMBER() OVER (
                PARTITION BY sa.stage ORDER BY sa.stint_age_days DESC, sa.value_order
            ) AS age_rank
        FROM stint_ages AS sa
        INNER JOIN age_cutoffs AS c ON c.stage = sa.stage AND sa.stint_age_days >= c.cutoff_days
    ) AS ranked
    WHERE age_rank <= :longest_stints_shown
),

final AS (
    SELECT
        sa.stage,
        sa.opportunity_id,
        sa.name,
        sa.customer_name,
        sa.owner_id,
        sa.owner_name,
        sa.team,
        sa.branch,
        sa.product,
        sa.annual_value,
        sa.expected_close_date,
        sa.is_key,
        sa.stint_entered_date,
        sa.stint_age_days,
        sa.stale_threshold_days,
        sa.stale,
        c.age_rank
    FROM chosen AS c
    INNER JOIN stint_ages AS sa ON sa.value_order = c.value_order
)

SELECT *
FROM final
ORDER BY stage, age_rank
