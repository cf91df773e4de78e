-- calibration_deals (metrics.md, Year-end forecast, calibration): how many
-- distinct deals the backtest scored over all its dates, which the per-date
-- sums (calibration_backtest.sql) cannot tell: deals open and in scope at some
-- snapshot in [:first_backtest, :last_backtest] -- the backtest dates, the
-- newest snapshots at least probability_horizon_days before as_of -- that are
-- closed and in scope at as_of (bound as outcome_as_of: the
-- calibration_outcome_state fragment), closed within that horizon after the
-- date.  Reads cache_backtest_states for those dates and as_of, built for all
-- of them at once before the backtest's own queries (analytics.derived.ensure_span).
WITH
{{ include calibration_outcome_state }},

outcomes AS (
    SELECT s.opportunity_id, s.closed_date
    FROM calibration_outcome_state AS s
    WHERE s.status IN ('won', 'lost', 'terminated')
        AND {{ scope s opportunity }}
),

backtest_dates AS (
    SELECT snapshot_date
    FROM stg_snapshots
    WHERE snapshot_date >= CAST(:first_backtest AS DATE)
        AND snapshot_date <= CAST(:last_backtest AS DATE)
),

open_then AS (
    SELECT
        o.*,
        {{ include opportunity_class }} AS opportunity_class
    FROM cache_backtest_states AS o
    INNER JOIN backtest_dates AS d ON d.snapshot_date = o.as_of
    WHERE o.status = 'open'
),

final AS (
    SELECT COUNT(DISTINCT t.opportunity_id) AS deals
    FROM open_then AS t
    INNER JOIN outcomes AS w ON w.opportunity_id = t.opportunity_id
    WHERE w.closed_date <= t.as_of + CAST(:probability_horizon_days AS INTEGER)
        AND {{ scope t opportunity }}
)

SELECT *
FROM final
