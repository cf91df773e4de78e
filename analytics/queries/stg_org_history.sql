-- stg_org_history: one row per stint of a staff member in a team, valid_from to
-- valid_to inclusive (null valid_to: still valid), for reporting past periods
-- under the team of that time.
SELECT staff_id, team, branch, role, valid_from, valid_to
FROM org_history
