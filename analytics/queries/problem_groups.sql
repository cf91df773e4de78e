-- problem_groups (metrics.md, Problem opportunities): the problem opportunities
-- grouped per owner and per team (level 'total' | 'team' | 'owner'): how many, how many
-- key, the value at risk (sum of annual_value), how many per reason and how
-- many slipped before, beside how many open opportunities the group holds
-- (open_count) and the share of them that are problems (problem_share); groups
-- with no problem deal are left out, the total row never is; largest value at
-- risk first (value at risk = the annual_value of the problem deals). Read from
-- the open deals built at load (open_deals_cached: the open_deals fragment's rows).
WITH
{{ include open_deals_cached }},

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
        COUNT(*) AS open_count,
        COUNT(*) FILTER (WHERE is_problem) AS problem_count,
        COUNT(*) FILTER (WHERE is_problem AND is_key) AS key_problem_count,
        SUM(annual_value) FILTER (WHERE is_problem) AS value_at_risk,
        COUNT(*) FILTER (WHERE overdue) AS overdue,
        COUNT(*) FILTER (WHERE stale) AS stale,
        COUNT(*) FILTER (WHERE idle) AS idle,
        COUNT(*) FILTER (WHERE abnormal) AS abnormal,
        COUNT(*) FILTER (WHERE is_problem AND slip_count > 0) AS slipped_before
    FROM open_deals
    GROUP BY GROUPING SETS ((), (team, branch), (team, branch, owner_id, owner_name))
),

final AS (
    SELECT
        level,
        team,
        branch,
        owner_id,
        owner_name,
        CAST(open_count AS BIGINT) AS open_count,
        CAST(problem_count AS BIGINT) AS problem_count,
        CAST(problem_count AS DOUBLE PRECISION) / NULLIF(open_count, 0) AS problem_share,
        CAST(key_problem_count AS BIGINT) AS key_problem_count,
        CAST(COALESCE(value_at_risk, 0) AS DOUBLE PRECISION) AS value_at_risk,
        CAST(overdue AS BIGINT) AS overdue,
        CAST(stale AS BIGINT) AS stale,
        CAST(idle AS BIGINT) AS idle,
        CAST(abnormal AS BIGINT) AS abnormal,
        CAST(slipped_before AS BIGINT) AS slipped_before
    FROM grouped
    WHERE level = 'total' OR problem_count > 0
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
