-- longest_open_stints (metrics.md, Stage duration): per stage, the open
-- opportunities in scope sitting longest in their current stint (at most
-- longest_stints_shown each), with the age, the stage's stale threshold and
-- whether it is stale.
WITH
{{ include opportunity_state }},
{{ include stage_stints }},
{{ include stint_ages }},

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
    FROM stint_ages
),

final AS (
    SELECT *
    FROM ranked
    WHERE age_rank <= :longest_stints_shown
)

SELECT *
FROM final
ORDER BY stage, age_rank
