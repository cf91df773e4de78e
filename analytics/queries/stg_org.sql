-- stg_org: one row per staff member, current hierarchy (data-contract.md, org).
SELECT staff_id, name, role, team, branch, active
FROM org
