-- problem_groups (metrics.md, Problem opportunities): the problem opportunities
-- grouped per owner and per team (level 'total' | 'team' | 'owner'): how many, how many
-- key, the value at risk (sum of annual_value), how many per reason and how
-- many slipped before; largest value at risk first (value at risk = the
-- annual_value of the problem deals).
WITH
{{ include problem_flags }},

problems AS (
    SELECT *
    FROM problem_flags
    WHERE is_problem
),

grouped AS (
    SELECT
        CASE
            WHEN GROUPING(owner_id) = 0 THEN 'owner'
            WHEN GROUPING(team) = 0 THEN 'team'
            ELSE 'total'
        END AS level,
        team,
        branch,
        owner_id,
        owner_name,
        COUNT(*) AS problem_count,
        COUNT(*) FILTER (WHERE is_key) AS key_problem_count,
        SUM(annual_value) AS value_at_risk,
        COUNT(*) FILTER (WHERE overdue) AS overdue,
        COUNT(*) FILTER (WHERE stale) AS stale,
        COUNT(*) FILTER (WHERE idle) AS idle,
        COUNT(*) FILTER (WHERE abnormal) AS abnormal,
        COUNT(*) FILTER (WHERE slip_count > 0) AS slipped_before
    FROM problems
    GROUP BY GROUPING SETS ((), (team, branch), (team, branch, owner_id, owner_name))
),

final AS (
    SELECT
        level,
        team,
        branch,
        owner_id,
        owner_name,
        CAST(problem_count AS BIGINT) AS problem_count,
        CAST(key_problem_count AS BIGINT) AS key_problem_count,
        CAST(COALESCE(value_at_risk, 0) AS DOUBLE PRECISION) AS value_at_risk,
        CAST(overdue AS BIGINT) AS overdue,
        CAST(stale AS BIGINT) AS stale,
        CAST(idle AS BIGINT) AS idle,
        CAST(abnormal AS BIGINT) AS abnormal,
        CAST(slipped_before AS BIGINT) AS slipped_before
    FROM grouped
)

SELECT *
FROM final
ORDER BY
    level = 'owner',
    level = 'total' DESC,
    value_at_risk DESC,
    team,
    branch,
    owner_id
