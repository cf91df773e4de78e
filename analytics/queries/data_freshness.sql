-- data_freshness: one row: the newest snapshot on or before as_of, the last
-- revenue period loaded up to as_of's period (:as_of_period, the bound the
-- attainment's data_through uses too, so the freshness line and the attainment
-- banner name the same period at any as_of), and when the warehouse last
-- changed. The same for every viewer: it describes the data, not anyone's deals.
SELECT
    (SELECT MAX(snapshot_date) FROM stg_snapshots
        WHERE snapshot_date <= CAST(:as_of AS DATE)) AS newest_snapshot,
    (SELECT MAX(snapshot_date) FROM stg_snapshots) AS latest_snapshot,
    (SELECT MAX(period) FROM stg_revenue_periods
        WHERE period <= :as_of_period) AS last_revenue_period,
    (SELECT MAX(loaded_at) FROM load_history
        WHERE outcome NOT IN ('refused', 'failed')) AS last_loaded_at
