-- org_teams: one row per team in the org now (branch x team: a team name may
-- repeat across branches) among the staff in the viewer's scope, to resolve a
-- bare team name given on the command line to the one team it can mean.
WITH
final AS (
    SELECT s.branch, s.team
    FROM stg_org AS s
    WHERE s.team IS NOT NULL AND {{ scope s staff }}
    GROUP BY s.branch, s.team
)

SELECT branch, team
FROM final
ORDER BY branch, team
