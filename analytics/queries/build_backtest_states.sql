-- build_backtest_states: the rows of the derived table cache_backtest_states for
-- :as_of and every snapshot date in [:first_as_of, :as_of), in one pass: per
-- build date, every opportunity of the snapshot in force then (the newest on or
-- before it) with the columns the calibration backtest reads (p(o)'s inputs, the
-- class's and the scope's; schema.BACKTEST_STATE_COLUMNS), and two facts defined
-- as in build_opportunity_facts.sql: known_max_stage (metrics.md, Stage reached:
-- every stage change and every snapshot held on or before the date; a won record
-- counts as won_stage, stage 5 as won_stage) and known_stint_entered_date (the
-- start of the stint of cache_stage_stints not left by the date, else the
-- creation date).  The calibration backtest at a dozen
-- past dates used to build cache_opportunity_facts for each (15-19 s a date at
-- 200,000 opportunities, most of it facts it never reads); here the history is
-- read once: each piece of stage evidence falls in the first build date on or
-- after it, the highest per build date is carried forward over the later ones.
-- A single date (:first_as_of = :as_of) is the same query with one build date.
-- Binds won_stage (analytics/blocks/stages.py).  Needs cache_stage_stints.
-- Built by analytics/derived.py.
WITH
build_dates AS (
    SELECT snapshot_date AS as_of
    FROM stg_snapshots
    WHERE snapshot_date >= CAST(:first_as_of AS DATE)
        AND snapshot_date < CAST(:as_of AS DATE)
    UNION
    SELECT CAST(:as_of AS DATE) AS as_of
),

spans AS (
    SELECT
        b.as_of,
        (
            SELECT MAX(s.snapshot_date)
            FROM stg_snapshots AS s
            WHERE s.snapshot_date <= b.as_of
        ) AS snapshot_date,
        LAG(b.as_of) OVER (ORDER BY b.as_of) AS previous_as_of
    FROM build_dates AS b
),

state AS (
    SELECT
        d.as_of,
        o.opportunity_id,
        o.branch,
        o.team,
        o.owner_id,
        o.product,
        o.industry,
        o.business_type,
        o.origin,
        o.campaign,
        o.created_date,
        o.stage,
        o.status,
        o.closed_date,
        o.annual_value,
        o.user_count,
        o.demonstration,
        o.influence
    FROM stg_opportunity_snapshot AS o
    INNER JOIN spans AS d ON o.snapshot_date = d.snapshot_date
),

stage_evidence AS (
    SELECT
        opportunity_id,
        changed_date AS evidence_date,
        CASE
            WHEN to_status = 'won' THEN CAST(:won_stage AS INTEGER)
            ELSE COALESCE(GREATEST(from_stage, to_stage), from_stage, to_stage)
        END AS stage
    FROM stg_stage_history
    WHERE changed_date <= CAST(:as_of AS DATE)
    UNION ALL
    SELECT
        opportunity_id,
        snapshot_date AS evidence_date,
        CASE WHEN status = 'won' THEN CAST(:won_stage AS INTEGER) ELSE stage END AS stage
    FROM stg_opportunity_snapshot
    WHERE snapshot_date <= CAST(:as_of AS DATE)
),

-- Each piece of evidence in the first build date on or after it.
dated_evidence AS (
    SELECT e.opportunity_id, d.as_of, e.stage
    FROM stage_evidence AS e
    INNER JOIN spans AS d ON d.previous_as_of IS NULL AND e.evidence_date <= d.as_of
    UNION ALL
    SELECT e.opportunity_id, d.as_of, e.stage
    FROM stage_evidence AS e
    INNER JOIN spans AS d
        ON e.evidence_date > d.previous_as_of
        AND e.evidence_date <= d.as_of
),

-- Per opportunity and build date the highest new evidence; every state row is
-- there too (with none), so a date without new evidence still carries the past.
per_date AS (
    SELECT opportunity_id, as_of, MAX(stage) AS stage
    FROM (
        SELECT opportunity_id, as_of, stage FROM dated_evidence
        UNION ALL
        SELECT opportunity_id, as_of, CAST(NULL AS INTEGER) AS stage FROM state
    ) AS marks
    GROUP BY opportunity_id, as_of
),

-- The current stint at each build date: entered by then, not left by then.
current_stints AS (
    SELECT t.opportunity_id, d.as_of, MAX(t.entered_date) AS entered_date
    FROM cache_stage_stints AS t
    INNER JOIN spans AS d ON t.entered_date <= d.as_of
    WHERE t.left_date IS NULL
    GROUP BY t.opportunity_id, d.as_of
    UNION ALL
    SELECT t.opportunity_id, d.as_of, MAX(t.entered_date) AS entered_date
    FROM cache_stage_stints AS t
    INNER JOIN spans AS d ON t.entered_date <= d.as_of AND t.left_date > d.as_of
    GROUP BY t.opportunity_id, d.as_of
),

reached AS (
    SELECT
        opportunity_id,
        as_of,
        MAX(stage) OVER (
            PARTITION BY opportunity_id ORDER BY as_of
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS max_stage
    FROM per_date
)

SELECT
    s.*,
    CAST(LEAST(r.max_stage, CAST(:won_stage AS INTEGER)) AS INTEGER) AS known_max_stage,
    COALESCE(c.entered_date, s.created_date) AS known_stint_entered_date
FROM state AS s
INNER JOIN reached AS r ON r.opportunity_id = s.opportunity_id AND r.as_of = s.as_of
LEFT JOIN (
    SELECT opportunity_id, as_of, MAX(entered_date) AS entered_date
    FROM current_stints
    GROUP BY opportunity_id, as_of
) AS c ON c.opportunity_id = s.opportunity_id AND c.as_of = s.as_of
ORDER BY s.as_of
