-- stg_activities: one row per sales activity, with the actor's team and branch.
SELECT
    a.activity_id,
    a.opportunity_id,
    a.customer_id,
    a.staff_id,
    s.team,
    s.branch,
    a.type,
    a.activity_date
FROM activities AS a
LEFT JOIN org AS s ON s.staff_id = a.staff_id
