-- fragment max_stage (metrics.md, Stage reached): one row per opportunity with
-- max_stage, the highest stage 0-4 it is known to have reached, from every
-- stage change and every snapshot held on or before as_of. A move's from_stage
-- and to_stage both count; a won opportunity (in any record) has reached the
-- contract stage won_stage; stage 5 (implementation) counts as won_stage. A
-- skipped stage needs no row: reaching k means having passed 0..k.
-- Binds won_stage (analytics/metrics/stages.py).
stage_evidence AS (
    SELECT
        opportunity_id,
        CASE
            WHEN to_status = 'won' THEN CAST(:won_stage AS INTEGER)
            ELSE COALESCE(GREATEST(from_stage, to_stage), from_stage, to_stage)
        END AS stage
    FROM stg_stage_history
    WHERE changed_date <= CAST(:as_of AS DATE)
    UNION ALL
    SELECT
        opportunity_id,
        CASE WHEN status = 'won' THEN CAST(:won_stage AS INTEGER) ELSE stage END AS stage
    FROM stg_opportunity_snapshot
    WHERE snapshot_date <= CAST(:as_of AS DATE)
),

max_stage AS (
    SELECT
        opportunity_id,
        CAST(LEAST(MAX(stage), CAST(:won_stage AS INTEGER)) AS INTEGER) AS max_stage
    FROM stage_evidence
    GROUP BY opportunity_id
)
