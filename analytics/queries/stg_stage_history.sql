-- stg_stage_history: one row per stage or status change of an opportunity.
SELECT
    opportunity_id,
    from_stage,
    to_stage,
    to_status,
    changed_at,
    CAST(changed_at AS DATE) AS changed_date,
    changed_by
FROM stage_history
