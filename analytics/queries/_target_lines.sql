-- fragment target_lines (metrics.md, Budget attainment; data-contract.md,
-- targets): each account manager's personal target per year, under the team
-- and branch they are in now: the denominator of attainment when the budget
-- (kept by branch x product only) cannot follow a team or owner selection.
target_lines AS (
    SELECT tg.year, tg.staff_id AS owner_id, s.branch, s.team, tg.amount
    FROM stg_targets AS tg
    LEFT JOIN stg_org AS s ON s.staff_id = tg.staff_id
)
