-- fragment workload_teams (metrics.md, Workload and capability): the team and
-- branch each opportunity's owner was in on the day it was created and on the
-- day it was closed, so a manager who moved team is reported under the team of
-- that time. org_history rows run from valid_from to valid_to inclusive (null:
-- still valid) and do not overlap for one person; a day no row covers falls
-- back to the owner's team in org now. Needs opportunity_state.
-- needs: opportunity_state
team_history AS (
    SELECT staff_id, team, branch, valid_from, valid_to
    FROM stg_org_history
),

deal_teams AS (
    SELECT
        o.opportunity_id,
        CASE WHEN hc.staff_id IS NULL THEN o.team ELSE hc.team END AS created_team,
        CASE WHEN hc.staff_id IS NULL THEN o.branch ELSE hc.branch END AS created_branch,
        CASE WHEN hx.staff_id IS NULL THEN o.team ELSE hx.team END AS closed_team,
        CASE WHEN hx.staff_id IS NULL THEN o.branch ELSE hx.branch END AS closed_branch
    FROM opportunity_state AS o
    LEFT JOIN team_history AS hc
        ON hc.staff_id = o.owner_id
        AND o.created_date >= hc.valid_from
        AND (hc.valid_to IS NULL OR o.created_date <= hc.valid_to)
    LEFT JOIN team_history AS hx
        ON hx.staff_id = o.owner_id
        AND o.closed_date >= hx.valid_from
        AND (hx.valid_to IS NULL OR o.closed_date <= hx.valid_to)
)
