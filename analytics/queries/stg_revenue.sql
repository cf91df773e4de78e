-- stg_revenue: one row per revenue line (period × contract × fee item), with
-- the owner's team from the org hierarchy for team and account-manager scopes.
-- branch is the line's own (the contract's); team_branch is the branch of the
-- owner's team, since a team is identified by branch and name together.
SELECT
    r.period,
    CAST((r.period - r.period % 100) / 100 AS INTEGER) AS year,
    r.period % 100 AS month,
    r.contract_id,
    r.branch,
    r.product,
    r.fee_item,
    CAST(r.amount AS DOUBLE PRECISION) AS amount,
    r.owner_id,
    s.team,
    s.branch AS team_branch
FROM revenue AS r
LEFT JOIN org AS s ON s.staff_id = r.owner_id
