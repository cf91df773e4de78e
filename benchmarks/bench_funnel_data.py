# ruff: noqa: E501  (long lines are SQL text)
"""Synthetic warehouse for bench_funnel.py, and the bare SQL it is measured against.

Everything is generated inside DuckDB with range() and hash() of the row number,
so 1 M opportunities take seconds.  Each opportunity gets a planned path (start
stage, outcome, skipped stages, an occasional backward excursion, stint
lengths); the stage history is the part of the plan up to as_of, and every
weekly snapshot is read back from that history (ASOF join), so snapshots and
history agree the way a CRM export does.

The bare statements compute the same aggregates as the metrics, written
directly against the raw tables for DuckDB only: no templates, no scope
predicate, no staging views, no SQLAlchemy, no settings binding.
"""

from __future__ import annotations

from datetime import date

PRODUCTS = "['综合VPN', '企业总机', '短信群发', '精品智能组网', '数据专线', 'IPTV', '互联网专线', '号百信息', 'ICT集成']"
INDUSTRIES = "['金融', '制造', '政府', '教育', '医疗', '零售', '物流', '能源']"


def _plan(n: int) -> str:
    return f"""
    CREATE TEMP TABLE plan AS
    WITH base AS (
        SELECT
            i,
            'O' || lpad(CAST(i AS VARCHAR), 8, '0') AS opportunity_id,
            CAST($as_of AS DATE) - CAST(hash(i, 2) % 730 AS INTEGER) AS created_date,
            CASE WHEN hash(i, 7) % 100 < 65 THEN 0 WHEN hash(i, 7) % 100 < 97 THEN 1 ELSE 2 END AS s0,
            CASE
                WHEN hash(i, 3) % 100 < 50 THEN 'won' WHEN hash(i, 3) % 100 < 78 THEN 'lost'
                WHEN hash(i, 3) % 100 < 88 THEN 'terminated' ELSE 'open'
            END AS outcome
        FROM range({n}) AS t (i)
    )
    SELECT
        *,
        CASE WHEN outcome = 'won' THEN 4 ELSE GREATEST(s0, 3 - CAST(hash(i, 8) % 3 AS INTEGER)) END AS e,
        hash(i, 9) % 100 < 12 AS skip2,
        hash(i, 11) % 100 < 6 AS skip3,
        hash(i, 10) % 100 < 25 AS back
    FROM base
    """


STEPS = """
CREATE TEMP TABLE steps AS
SELECT
    p.i, p.opportunity_id, p.created_date, p.outcome, p.e, p.back, r.k,
    CAST(3 + hash(p.i, 20 + r.k) % 40 AS INTEGER) AS d
FROM plan AS p, range(0, 5) AS r (k)
WHERE r.k BETWEEN p.s0 AND p.e
    AND NOT (r.k = 2 AND p.skip2 AND p.s0 < 2 AND p.e > 2)
    AND NOT (r.k = 3 AND p.skip3 AND p.s0 < 3 AND p.e > 3)
"""

HISTORY = """
CREATE TEMP TABLE history AS
WITH entered AS (
    SELECT *,
        SUM(d) OVER (PARTITION BY i ORDER BY k) - d AS enter_day,
        LAG(k) OVER (PARTITION BY i ORDER BY k) AS prev
    FROM steps
),
last_stage AS (SELECT * FROM entered WHERE k = e),
events AS (
    SELECT i, opportunity_id, created_date, prev AS from_stage, k AS to_stage, 'open' AS to_status, enter_day AS day
    FROM entered
    UNION ALL  -- a backward excursion in the last stage: down one, and back
    SELECT i, opportunity_id, created_date, e, e - 1, 'open', enter_day + d // 2 FROM last_stage WHERE back AND e > 0
    UNION ALL
    SELECT i, opportunity_id, created_date, e - 1, e, 'open', enter_day + d // 2 + 3 FROM last_stage WHERE back AND e > 0
    UNION ALL  -- the outcome, after the last stint (plus the excursion)
    SELECT i, opportunity_id, created_date, e, NULL, outcome, enter_day + d + CASE WHEN back THEN 3 ELSE 0 END
    FROM last_stage WHERE outcome <> 'open'
    UNION ALL  -- most won deals move on to implementation
    SELECT i, opportunity_id, created_date, 4, 5, 'won', enter_day + d + 20 + CAST(hash(i, 12) % 30 AS INTEGER)
    FROM last_stage WHERE outcome = 'won' AND hash(i, 13) % 100 < 90
)
SELECT i, opportunity_id, from_stage, to_stage, to_status,
    CAST(created_date + CAST(day AS INTEGER) AS TIMESTAMP) + INTERVAL 9 HOUR
        + to_minutes(CAST(hash(i, day) % 500 AS INTEGER)) AS changed_at
FROM events
WHERE created_date + CAST(day AS INTEGER) <= CAST($as_of AS DATE)
"""

ORG = """
INSERT INTO org (staff_id, name, role, team, branch, active)
SELECT 'S' || lpad(CAST(i AS VARCHAR), 4, '0'), '员工' || i, 'account_manager',
    '团队' || (i // 8), '分局' || (i // 40), TRUE
FROM range(320) AS t (i)
"""

STAGE_HISTORY = """
INSERT INTO stage_history (opportunity_id, from_stage, to_stage, to_status, changed_at, changed_by)
SELECT opportunity_id, from_stage, to_stage, to_status, changed_at, NULL FROM history ORDER BY opportunity_id, changed_at
"""


def _snapshots(count: int) -> str:
    return f"""
    CREATE TEMP TABLE snapshot_dates AS
    SELECT CAST($as_of AS DATE) - CAST(7 * j AS INTEGER) AS snapshot_date, j AS weeks_back
    FROM range({count}) AS t (j)
    """


OPPORTUNITY_SNAPSHOT = f"""
INSERT INTO opportunity_snapshot
SELECT
    s.snapshot_date, p.opportunity_id, '商机' || p.i, 'C' || (hash(p.i, 50) % 200000), '客户' || (hash(p.i, 50) % 200000),
    'gold', {INDUSTRIES}[1 + CAST(hash(p.i, 51) % 8 AS INTEGER)], {PRODUCTS}[1 + CAST(hash(p.i, 52) % 9 AS INTEGER)],
    CASE WHEN hash(p.i, 52) % 9 = 8 THEN 'transformation' ELSE 'basic' END,
    CASE WHEN hash(p.i, 53) % 100 < 30 THEN 'dispatched' ELSE 'mined' END,
    CASE WHEN hash(p.i, 54) % 100 < 40 THEN '活动' || (hash(p.i, 54) % 12) END,
    'S' || lpad(CAST(hash(p.i, 1) % 320 AS VARCHAR), 4, '0'),
    COALESCE(h.to_stage, h.from_stage), h.to_status,
    2000 + (hash(p.i, 5) % 1000) * (hash(p.i, 5) % 1000) / 4.0,
    p.created_date + 60 + CAST(hash(p.i, 14) % 120 AS INTEGER)
        + CASE WHEN hash(p.i, 15) % 4 = 0 THEN 7 * CAST(20 - s.weeks_back AS INTEGER) ELSE 0 END,
    p.created_date,
    CASE WHEN h.to_status <> 'open' THEN CAST(h.changed_at AS DATE) END,
    CASE WHEN hash(p.i, 16) % 100 < 25 THEN '中国移动' END,
    CASE WHEN hash(p.i, 17) % 100 < 5 THEN 30 END,
    hash(p.i, 18) % 1000 = 0, hash(p.i, 19) % 1000 = 0, hash(p.i, 21) % 100 < 2,
    h.to_status = 'open' AND hash(p.i, 22) % 100 < 2, NULL, NULL
FROM snapshot_dates AS s
INNER JOIN plan AS p ON p.created_date <= s.snapshot_date
ASOF INNER JOIN history AS h ON h.i = p.i AND CAST(s.snapshot_date + 1 AS TIMESTAMP) > h.changed_at
ORDER BY s.snapshot_date, p.opportunity_id
"""


def _activities(count: int, opportunities: int) -> str:
    return f"""
INSERT INTO activities (activity_id, opportunity_id, customer_id, staff_id, type, activity_date)
SELECT 'A' || j, p.opportunity_id, NULL, 'S' || lpad(CAST(hash(p.i, 1) % 320 AS VARCHAR), 4, '0'),
    ['visit', 'call', 'proposal', 'meeting'][1 + CAST(hash(j, 61) % 4 AS INTEGER)],
    p.created_date + CAST(hash(j, 62) % (CAST($as_of AS DATE) - p.created_date + 1) AS INTEGER)
FROM range({count}) AS t (j)
INNER JOIN plan AS p ON p.i = hash(j, 60) % {opportunities}
"""


def build(con, opportunities: int, snapshots: int, as_of: date) -> dict[str, int]:
    """Fill the (empty, schema-created) warehouse behind the DuckDB connection ``con``."""
    params = {"as_of": as_of}
    con.execute(_plan(opportunities), params)
    con.execute(STEPS)
    con.execute(HISTORY, params)
    con.execute(ORG)
    con.execute(STAGE_HISTORY)
    con.execute(_snapshots(snapshots), params)
    con.execute(OPPORTUNITY_SNAPSHOT)
    con.execute(
        "INSERT INTO snapshots (snapshot_date, row_count) "
        "SELECT snapshot_date, COUNT(*) FROM opportunity_snapshot GROUP BY snapshot_date"
    )
    con.execute(_activities(2 * opportunities, opportunities), params)
    con.execute("CHECKPOINT")
    tables = ("opportunity_snapshot", "stage_history", "activities")
    return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


# --- the bare statements -----------------------------------------------------------------

STATE = """
state AS (
    SELECT o.*, CAST(o.annual_value AS DOUBLE) AS value, s.team
    FROM opportunity_snapshot AS o LEFT JOIN org AS s ON s.staff_id = o.owner_id
    WHERE o.snapshot_date = (SELECT MAX(snapshot_date) FROM snapshots WHERE snapshot_date <= $as_of)
)"""

CLASSED = (
    STATE
    + """,
classed AS (
    SELECT *,
        CASE
            WHEN value >= 100000 OR demonstration THEN 'major'
            WHEN (business_type = 'transformation' AND value >= 80000) OR influence THEN 'important'
            WHEN value >= 50000 THEN 'ordinary_1'
            WHEN value >= 10000 OR COALESCE(user_count, 0) > 25 THEN 'ordinary_2'
            ELSE 'small'
        END AS class
    FROM state
)"""
)

MAX_STAGE = """
max_stage AS (
    SELECT opportunity_id, LEAST(MAX(s), 4) AS m FROM (
        SELECT opportunity_id, CASE WHEN to_status = 'won' THEN 4 ELSE GREATEST(from_stage, to_stage) END AS s
        FROM stage_history WHERE CAST(changed_at AS DATE) <= $as_of
        UNION ALL
        SELECT opportunity_id, CASE WHEN status = 'won' THEN 4 ELSE stage END
        FROM opportunity_snapshot WHERE snapshot_date <= $as_of
    ) GROUP BY opportunity_id
),
cohort AS (
    SELECT c.*, m.m FROM classed AS c JOIN max_stage AS m USING (opportunity_id)
    WHERE c.created_date BETWEEN $cohort_start AND $as_of
)"""

KEYED = (
    CLASSED
    + """,
keyed AS (
    SELECT c.*, c.key_flag OR c.class = 'major' OR COALESCE(r.r <= CEIL(r.n * $key_top_share), FALSE) AS is_key
    FROM classed AS c
    LEFT JOIN (
        SELECT opportunity_id, ROW_NUMBER() OVER (ORDER BY value DESC, opportunity_id) AS r, COUNT(*) OVER () AS n
        FROM classed WHERE status = 'open'
    ) AS r USING (opportunity_id)
)"""
)

STINTS = """
stints AS (
    SELECT opportunity_id, to_stage AS stage, CAST(changed_at AS DATE) AS entered,
        LEAD(CAST(changed_at AS DATE)) OVER (PARTITION BY opportunity_id ORDER BY changed_at) AS left_date,
        to_status
    FROM stage_history WHERE CAST(changed_at AS DATE) <= $as_of
),
thresholds AS (
    SELECT stage, GREATEST(quantile_cont(left_date - entered, 0.9) * $stale_p90_factor, $stale_min_days) AS stale_days
    FROM stints WHERE to_status = 'open' AND stage IS NOT NULL AND left_date > $stale_window_start GROUP BY stage
),
ages AS (
    SELECT o.opportunity_id, o.stage, $as_of - COALESCE(c.entered, o.created_date) AS age,
        COALESCE(t.stale_days, $stale_min_days) AS threshold
    FROM SOURCE AS o
    LEFT JOIN (SELECT * FROM stints WHERE to_status = 'open' AND stage IS NOT NULL AND left_date IS NULL) AS c
        USING (opportunity_id)
    LEFT JOIN thresholds AS t ON t.stage = o.stage
    WHERE o.status = 'open'
)"""

REASONS = """,
last_activity AS (
    SELECT opportunity_id, MAX(activity_date) AS last FROM activities
    WHERE opportunity_id IS NOT NULL AND activity_date <= $as_of GROUP BY opportunity_id
),
slips AS (
    SELECT opportunity_id, SUM(CASE WHEN expected_close_date > prev THEN 1 ELSE 0 END) AS slips FROM (
        SELECT opportunity_id, expected_close_date,
            LAG(expected_close_date) OVER (PARTITION BY opportunity_id ORDER BY snapshot_date) AS prev
        FROM opportunity_snapshot WHERE snapshot_date <= $as_of
    ) GROUP BY opportunity_id
),
problems AS (
    SELECT o.*, a.age, a.threshold,
        COALESCE(o.expected_close_date < $overdue_before, FALSE) AS overdue, a.age > a.threshold AS stale,
        o.created_date <= $idle_since AND COALESCE(l.last < $idle_since, TRUE) AS idle,
        COALESCE(s.slips, 0) AS slips
    FROM keyed AS o JOIN ages AS a USING (opportunity_id)
    LEFT JOIN last_activity AS l USING (opportunity_id) LEFT JOIN slips AS s USING (opportunity_id)
    WHERE o.status = 'open'
)"""

BARE = {
    "funnel": f"""WITH {CLASSED}, {MAX_STAGE}
        SELECT k, COUNT(*) FILTER (WHERE m >= k) AS reached, SUM(value) FILTER (WHERE m >= k) AS reached_value,
            COUNT(*) FILTER (WHERE status = 'won') AS won, COUNT(*) FILTER (WHERE status <> 'open') AS closed
        FROM cohort, range(5) AS t (k) GROUP BY k ORDER BY k""",
    "funnel_breakdown": f"""WITH {CLASSED}, {MAX_STAGE}
        SELECT product, industry, campaign, origin, class, k,
            COUNT(*) FILTER (WHERE m >= k) AS reached, SUM(value) FILTER (WHERE m >= k) AS reached_value,
            COUNT(*) FILTER (WHERE status = 'won') AS won
        FROM cohort, range(5) AS t (k)
        GROUP BY GROUPING SETS ((product, k), (industry, k), (campaign, k), (origin, k), (class, k))""",
    "class_summary": f"""WITH {CLASSED},
        ranked AS (SELECT opportunity_id, ROW_NUMBER() OVER (ORDER BY value DESC, opportunity_id) AS r,
            COUNT(*) OVER () AS n FROM classed WHERE status = 'open')
        SELECT class, COUNT(*), SUM(value), COUNT(*) FILTER (WHERE status = 'open'),
            COUNT(*) FILTER (WHERE key_flag OR class = 'major' OR r <= CEIL(n * $key_top_share)),
            COUNT(*) FILTER (WHERE competitor IS NOT NULL), COUNT(*) FILTER (WHERE abnormal)
        FROM classed LEFT JOIN ranked USING (opportunity_id) GROUP BY class""",
    "stage_durations": f"""WITH {STATE}, {STINTS.replace("SOURCE", "state")}
        SELECT s.stage, COUNT(*), quantile_cont(left_date - entered, 0.5), quantile_cont(left_date - entered, 0.9)
        FROM stints AS s WHERE to_status = 'open' AND stage IS NOT NULL AND left_date > $stale_window_start
        GROUP BY s.stage
        UNION ALL
        SELECT stage, COUNT(*), quantile_cont(age, 0.5), COUNT(*) FILTER (WHERE age > threshold) FROM ages GROUP BY stage""",
    "stage_durations_trend": f"""WITH {STATE}, {STINTS.replace("SOURCE", "state")}
        SELECT year(left_date) * 100 + month(left_date) AS period, stage, COUNT(*),
            quantile_cont(left_date - entered, 0.5), quantile_cont(left_date - entered, 0.9)
        FROM stints WHERE to_status = 'open' AND stage IS NOT NULL AND left_date > $stale_window_start
        GROUP BY period, stage""",
    "longest_open_stints": f"""WITH {KEYED}, {STINTS.replace("SOURCE", "keyed")}
        SELECT * FROM (SELECT a.*, o.value, o.is_key, ROW_NUMBER() OVER (PARTITION BY a.stage ORDER BY age DESC) AS r
            FROM ages AS a JOIN keyed AS o USING (opportunity_id)) WHERE r <= $shown""",
    "problem_opportunities": f"""WITH {KEYED}, {STINTS.replace("SOURCE", "keyed")}{REASONS}
        SELECT * FROM problems WHERE overdue OR stale OR idle OR abnormal ORDER BY is_key DESC, value DESC LIMIT $rows""",
    "problem_groups": f"""WITH {KEYED}, {STINTS.replace("SOURCE", "keyed")}{REASONS}
        SELECT team, owner_id, COUNT(*), COUNT(*) FILTER (WHERE is_key), SUM(value),
            COUNT(*) FILTER (WHERE overdue), COUNT(*) FILTER (WHERE stale),
            COUNT(*) FILTER (WHERE idle), COUNT(*) FILTER (WHERE slips > 0)
        FROM problems WHERE overdue OR stale OR idle OR abnormal
        GROUP BY GROUPING SETS ((), (team), (team, owner_id))""",
    "process_quality": f"""WITH {STATE}
        SELECT o.team, o.owner_id, COUNT(DISTINCT opportunity_id) AS opportunities, COUNT(*) AS changes,
            SUM(CASE WHEN COALESCE(h.to_stage, CASE WHEN h.to_status = 'won' THEN 4 END) > h.from_stage + 1
                THEN 1 ELSE 0 END) AS skipped,
            SUM(CASE WHEN h.to_stage < h.from_stage THEN 1 ELSE 0 END) AS backward
        FROM stage_history AS h JOIN state AS o USING (opportunity_id)
        WHERE h.from_stage IS NOT NULL AND CAST(h.changed_at AS DATE) <= $as_of
            AND o.created_date BETWEEN $cohort_start AND $as_of
        GROUP BY GROUPING SETS ((), (o.team), (o.team, o.owner_id))""",
}
