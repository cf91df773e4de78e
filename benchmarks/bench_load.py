"""Loader benchmark: a 1,000,000-row GBK opportunities export, against two baselines.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_load.py [--rows 1000000] [--repeat 3] [--pg URL]

Generates (once per run, in a temporary folder) an opportunities export the way
the CRM writes it: GBK, CRLF, a header with stray spaces and full-width
brackets, annual value in 万元 with thousands separators and ¥, six date forms,
four stage forms, flags as 是/否 · Y/N · 1/0 · true/false, and a few bad rows
(invalid dates, duplicate ids) for the quarantine.  Then, each in a fresh
process so that peak memory is its own, it times:

* the loader (``analytics.loader.load``) into an empty DuckDB warehouse file:
  detection, transcoding, parsing, rules, quarantine and the one write
  transaction.  After the load has committed, ``analytics.ingest.finish`` runs
  what a commit sets off, as ``analytics load`` does: the derived tables for the
  newest snapshot (analytics/derived.py), then that week's frozen forecast
  (issue 7); those steps are timed (together and each on its own) with their
  own peak memory, and are not part of the ratios (they grow with what the
  warehouse holds, not with the file);
* (a) DuckDB's own ``read_csv`` of the same rows already in clean UTF-8, into a
  table of a DuckDB file (the floor: read and store, nothing parsed);
* (b) ``pandas.read_csv`` of the GBK file + ``DataFrame.to_sql`` into a DuckDB
  warehouse through SQLAlchemy (the row-by-row way).  read_csv reads every
  row; to_sql writes ``--sample`` rows and its time is scaled to all of them
  (it is linear, and a million rows would take half an hour).

The loader and (a) run ``--repeat`` times each, taking turns, and their median
times are compared (single runs on a 2-core machine move by a second); peaks
are the highest seen.  Targets (issue 4): loader within 2x of (a), at least 5x
faster than (b), peak memory under 2 GB.  Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEADER = [
    " 商机编号 ", "商机名称", "客户编号", "客户名称", "客户等级", "行业", "产品线", "业务类型", "商机来源",
    "营销活动", "客户经理工号", "商机阶段", "商机状态", "预计年综合收益（万元）", "预计签约日期", "创建日期",
    "关闭日期", "竞争对手", "用户数", "示范作用", "行业影响力", "重点商机", "异常", "售前支撑经理工号",
    "导出日期",
]  # fmt: skip
# Each value is a DuckDB expression of i (the row number); names are constants of this file.
VALUES = [
    "CASE WHEN i % 5000 = 7 THEN 'OPP' || lpad(CAST(i - 1 AS VARCHAR), 8, '0') "
    "ELSE 'OPP' || lpad(CAST(i AS VARCHAR), 8, '0') END",  # a few duplicate ids
    "['浦东', '徐汇', '静安', '黄浦'][i % 4 + 1] || "
    "['金融专线', '政企组网', 'IPTV融合', '云网升级'][i % 3 + 1] || (i % 97)",
    "'C' || lpad(CAST(i % 50000 AS VARCHAR), 6, '0')",
    "'上海' || ['浦江', '申通', '华信', '东方'][i % 4 + 1] || "
    "['证券', '精密机械', '置业', '网络科技'][i % 4 + 1] || '有限公司'",
    "['金卡', '银卡', '普通', '普通'][i % 4 + 1]",
    "['金融', '政府', '制造', '零售', '医疗'][i % 5 + 1]",
    "['综合VPN', '数据专线', 'IPTV', '互联网专线', 'ICT集成'][i % 5 + 1]",
    "['基础业务', '转型业务', 'ICT'][i % 3 + 1]",
    "['挖掘', '派单'][i % 2 + 1]",
    "CASE WHEN i % 3 = 0 THEN '2024开门红' ELSE '' END",
    "'S' || lpad(CAST(i % 400 AS VARCHAR), 5, '0')",
    "[CAST(i % 6 AS VARCHAR), '阶段' || (i % 6), 'SS0' || (i % 6), '回应竞争，确认方案'][i % 4 + 1]",
    "CASE WHEN i % 10 = 0 THEN '赢单' WHEN i % 10 = 1 THEN '丢单' ELSE '跟进中' END",
    "[CAST((i % 900) / 10.0 AS VARCHAR), printf('%,.2f', (i % 90000) / 7.0), '￥' || (i % 50)][i % 3 + 1]",
    "CASE WHEN i % 1000 = 3 THEN '2024-13-40' ELSE "
    "['2024-03-05', '2024/3/5', '20240305', '2024年3月5日', '2024-03-05 14:22:01', '45356'][i % 6 + 1] END",
    "['2023-12-01', '2023/12/1', '20231201', '2023年12月1日', '2023-12-01 09:00:00', '45261']"
    "[(i + 1) % 6 + 1]",
    "CASE WHEN i % 10 IN (0, 1) THEN '2024/3/1' ELSE '' END",
    "CASE WHEN i % 7 = 0 THEN '中国移动' ELSE '' END",
    "CASE WHEN i % 4 = 0 THEN '' ELSE CAST(i % 60 AS VARCHAR) END",
    "['是', '否', 'Y', 'N', '1', '0', 'true', 'false', ''][i % 9 + 1]",
    "['否', '是', ''][i % 3 + 1]",
    "['N', 'Y'][i % 2 + 1]",
    "['0', '1', '', 'false'][i % 4 + 1]",
    "CASE WHEN i % 5 = 0 THEN 'S' || lpad(CAST(i % 40 AS VARCHAR), 5, '0') ELSE '' END",
    "'2024-03-08'",
]


# --mixed off: each column keeps one form, as a real export does (the demo exporter's
# forms: thousands separators, 阶段3, 2024/3/5, 20240305, 2024年3月5日, 是/否), with stray
# spaces in some names and the same bad rows.  --mixed: every form in every column.
EXPORT_LIKE = {
    "客户名称": "CASE WHEN i % 10 = 0 THEN ' ' ELSE '' END || '上海' || "
    "['浦江', '申通', '华信', '东方'][i % 4 + 1] || ['证券', '精密机械', '置业', '网络科技'][i % 4 + 1] "
    "|| '有限公司'",
    "业务类型": "['基础业务', '转型业务'][i % 2 + 1]",
    "商机阶段": "'阶段' || (i % 6)",
    "预计年综合收益（万元）": "printf('%,.2f', (i % 90000) / 7.0)",
    "预计签约日期": "CASE WHEN i % 1000 = 3 THEN '2024-13-40' "
    "ELSE '2024/' || (i % 12 + 1) || '/' || (i % 28 + 1) END",
    "创建日期": "'2023' || lpad(CAST(i % 12 + 1 AS VARCHAR), 2, '0') "
    "|| lpad(CAST(i % 28 + 1 AS VARCHAR), 2, '0')",
    "关闭日期": "CASE WHEN i % 10 IN (0, 1) THEN '2024年3月' || (i % 28 + 1) || '日' ELSE '' END",
    "示范作用": "['是', '否'][i % 2 + 1]",
    "行业影响力": "['否', '是', '否'][i % 3 + 1]",
    "重点商机": "['否', '是'][i % 2 + 1]",
    "异常": "['否', '否', '否', '是'][i % 4 + 1]",
}


def generate(rows: int, folder: Path, mixed: bool) -> tuple[Path, Path]:
    """The export in clean UTF-8 (baseline a) and as the CRM writes it (GBK, CRLF)."""
    import duckdb

    utf8, gbk = folder / "商机清单_utf8.csv", folder / "商机清单_gbk.csv"
    chosen = [v if mixed else EXPORT_LIKE.get(h.strip(), v) for v, h in zip(VALUES, HEADER, strict=True)]
    columns = ", ".join(f'{expr} AS "{name}"' for expr, name in zip(chosen, HEADER, strict=True))
    con = duckdb.connect()
    con.execute(f"COPY (SELECT {columns} FROM range(1, $n + 1) AS t(i)) TO '{utf8}' (HEADER, DELIMITER ',')",
                {"n": rows})  # fmt: skip
    con.close()
    with open(utf8, encoding="utf-8") as source, open(gbk, "wb") as target:
        while chunk := source.read(4 << 20):
            target.write(chunk.replace("\n", "\r\n").encode("gbk"))
    return utf8, gbk


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads (robust when the machine is busy)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    """This process's own peak resident memory, MB: VmHWM of /proc/self/status.

    Not getrusage's ru_maxrss: Linux carries the high-water mark of the process that
    spawned a child across fork and exec, so a contender started by bench_all.py after
    it had read the million-row warehouse reported bench_all's 3.2 GB as its own (a
    child that used 14 MB, spawned by a parent holding 1.4 GB, reports 1.4 GB).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident memory now, MB (VmRSS), DuckDB's native buffers included."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Resident memory every ``interval`` seconds in a thread, kept with its time.

    VmHWM is this process's peak over its whole life and cannot be reset, and
    tracemalloc does not see DuckDB's native memory; so each step's peak is the
    highest sample taken while it ran (a spike shorter than the interval can be
    missed: the whole run's VmHWM is printed beside them).
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.samples = interval, [(time.perf_counter(), rss_mb())]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append((time.perf_counter(), rss_mb()))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.perf_counter(), rss_mb()))

    def peak(self, start: float, end: float) -> float:
        """The highest sample from ``start`` to ``end`` (perf_counter times), MB."""
        return max((mb for at, mb in self.samples if start <= at <= end), default=0.0)


def step_peaks(sampler: RssSampler, start: float, steps: list) -> dict:
    """Each step after the commit's peak RSS: ingest.finish runs them one after another,
    so step i ran from ``start`` plus the times of the steps before it."""
    out: dict[str, float] = {}
    for index, step in enumerate(steps):
        end = start + step.seconds
        key = f"step_{index}_{step.code}{'_' + step.detail if step.detail else ''}"
        out[key + "_peak_mb"] = sampler.peak(start, end + sampler.interval)
        start = end
    return out


def run_loader(path: str, db: str) -> dict:
    """The load (loader.load, to its commit), and apart from it the steps after the commit
    (analytics.ingest.finish: derived tables, forecast freeze), as `analytics load` runs them."""
    from sqlalchemy import create_engine

    from analytics import loader
    from analytics.commands import AFTER_COMMIT_DUCKDB_MEMORY_MB
    from analytics.db import ensure_schema
    from analytics.dialect import limit_memory
    from analytics.settings import load_settings

    engine = create_engine(db)
    ensure_schema(engine)
    limit_memory(engine, AFTER_COMMIT_DUCKDB_MEMORY_MB)  # as `analytics load` runs
    settings = load_settings().with_overrides(max_upload_mb=4096)
    sampler = RssSampler()
    start, cpu = time.perf_counter(), cpu_seconds()
    report = loader.load(engine, [loader.Input.from_path(Path(path))], username="bench", settings=settings)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert report.outcome == "loaded", report.text()
    load_peak = peak_mb()
    result = {"seconds": seconds, "cpu": cpu, "peak_mb": load_peak, **after_commit(engine, settings, sampler)}
    result["load_sampled_peak_mb"] = sampler.peak(start, start + seconds)
    return {**result, "rows_in": report.rows_in, "loaded": report.loaded, "quarantined": report.quarantined}


def after_commit(engine, settings, sampler: RssSampler) -> dict:
    """ingest.finish (the steps after the commit) timed, with each step's time and sampled peak."""
    from analytics import ingest

    start, cpu = time.perf_counter(), cpu_seconds()
    steps = ingest.finish(engine, settings)
    after, after_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    sampler.stop()
    assert all(step.error is None for step in steps), steps
    return {
        "freeze_seconds": after,
        "freeze_cpu": after_cpu,
        "freeze_peak_mb": peak_mb(),
        **{
            f"step_{i}_{step.code}{'_' + step.detail if step.detail else ''}_seconds": step.seconds
            for i, step in enumerate(steps)
        },
        **step_peaks(sampler, start, steps),
    }


def run_after_commit(warehouse: str, copy: str, new_week: bool = False) -> dict:
    """The steps after the commit on a copy of an existing warehouse, as a load into it sets
    them off: the newest snapshot's freeze taken out (a freeze to do) and a refused load
    recorded (a new data version, so every derived table is due as after a load, with no
    data changed).  The loader's own part does not grow with the warehouse; these steps do.

    ``new_week``: instead, next week's snapshot loaded (the newest one's rows again, dated
    seven days later, under a load of their own), as the analyst's weekly load brings
    one: what is kept by its inputs (the backtest states, the trend's pairs) is kept, and
    the new date is built.
    """
    from datetime import datetime

    from sqlalchemy import create_engine, delete, func, insert, select

    from analytics import schema
    from analytics.commands import AFTER_COMMIT_DUCKDB_MEMORY_MB
    from analytics.dialect import limit_memory
    from analytics.forecast import freeze
    from analytics.settings import load_settings

    shutil.copyfile(warehouse, copy)
    engine = create_engine(f"duckdb:///{copy}")
    with engine.begin() as conn:
        newest = conn.execute(
            select(schema.snapshots.c.snapshot_date.label("d"))
            .order_by(schema.snapshots.c.snapshot_date.desc())
            .limit(1)
        ).scalar_one()
        history = schema.load_history
        load_id = conn.execute(select(func.max(history.c.load_id))).scalar_one() + 1
        if new_week:
            _next_week(conn, newest, load_id)
        else:
            conn.execute(delete(freeze.TOTALS).where(freeze.TOTALS.c.snapshot_date == newest))
            conn.execute(delete(freeze.TABLE).where(freeze.TABLE.c.snapshot_date == newest))
            conn.execute(delete(freeze.FREEZES).where(freeze.FREEZES.c.snapshot_date == newest))
            conn.execute(insert(history).values(
                load_id=load_id, batch_id="bench", loaded_by="bench", loaded_at=datetime.now(),
                file_name="bench", kind="opportunities", rows_in=0, rows_loaded=0,
                rows_quarantined=0, outcome="refused",
            ))  # fmt: skip
    engine.dispose()
    engine = create_engine(f"duckdb:///{copy}")
    limit_memory(engine, AFTER_COMMIT_DUCKDB_MEMORY_MB)  # as `analytics load` runs
    sampler = RssSampler()
    return {
        "seconds": 0.0,
        "cpu": 0.0,
        "peak_mb": peak_mb(),
        **after_commit(engine, load_settings(), sampler),
    }


def _next_week(conn, newest, load_id: int) -> None:
    """Next week's snapshot, written as a load writes it: the newest snapshot's rows dated
    seven days later, each carrying the new load's id."""
    from datetime import datetime, timedelta

    from sqlalchemy import func, insert, literal, select

    from analytics import schema

    week = newest + timedelta(days=7)
    table = schema.opportunity_snapshot
    rows = conn.execute(select(func.count()).where(table.c.snapshot_date == newest)).scalar_one()
    conn.execute(insert(schema.load_history).values(
        load_id=load_id, batch_id="bench", loaded_by="bench", loaded_at=datetime.now(),
        file_name=f"商机清单_{week:%Y%m%d}.csv", kind="opportunities", rows_in=rows, rows_loaded=rows,
        rows_quarantined=0, outcome="loaded",
    ))  # fmt: skip
    columns = [c.name for c in table.columns]
    moved = {"snapshot_date": literal(week), "load_id": literal(load_id)}
    conn.execute(
        insert(table).from_select(
            columns,
            select(*(moved.get(c, table.c[c]) for c in columns)).where(table.c.snapshot_date == newest),
        )
    )
    conn.execute(insert(schema.snapshots).values(snapshot_date=week, row_count=rows, load_id=load_id))


def run_duckdb(path: str, db: str) -> dict:
    import duckdb

    con = duckdb.connect(db.removeprefix("duckdb:///"))
    start, cpu = time.perf_counter(), cpu_seconds()
    con.execute("CREATE TABLE opportunities AS SELECT * FROM read_csv($path)", {"path": path})
    con.close()
    return {"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu}


def run_pandas(path: str, db: str, sample: int) -> dict:
    """read_csv of the whole file; to_sql timed on ``sample`` rows and scaled (it is linear)."""
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(db)
    start, cpu = time.perf_counter(), cpu_seconds()
    frame = pd.read_csv(path, encoding="gbk", dtype=str)
    read, read_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    part = frame.head(sample)
    scale = len(frame) / max(len(part), 1)
    start, cpu = time.perf_counter(), cpu_seconds()
    part.to_sql("opportunities", engine, index=False)
    write, write_cpu = (time.perf_counter() - start) * scale, (cpu_seconds() - cpu) * scale
    return {
        "seconds": read + write,
        "cpu": read_cpu + write_cpu,
        "read_csv": read,
        "to_sql_estimated": write,
        "sampled": len(part),
    }


CONTENDERS = {
    "loader": run_loader,
    "duckdb": run_duckdb,
    "pandas": run_pandas,
    "after": run_after_commit,
    "after_week": lambda warehouse, copy: run_after_commit(warehouse, copy, new_week=True),
}


def measure(name: str, path: Path, db: str, sample: int = 0) -> dict:
    """Run one contender in a fresh interpreter; its own peak RSS is part of the answer."""
    code = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--file",
        str(path),
        "--db",
        db,
        "--sample",
        str(sample),
    ]
    out = subprocess.run(code, cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(f"{name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def repeated(runs: list[dict]) -> dict:
    """Medians of the times (a busy machine moves single runs by a second), the highest peaks."""
    merged = dict(runs[-1])
    for key in ("seconds", "cpu", "freeze_seconds", "freeze_cpu"):
        if key in merged:
            merged[key] = statistics.median(r[key] for r in runs)
    for key in ("peak_mb", "freeze_peak_mb"):
        if key in merged:
            merged[key] = max(r[key] for r in runs)
    merged["walls"] = [r["seconds"] for r in runs]
    return merged


def print_steps(title: str, result: dict) -> None:
    """The steps after the commit together, then each with its time and sampled peak RSS."""
    print(
        f"{title}: {result['freeze_seconds']:.2f} s wall {result['freeze_cpu']:.2f} s CPU, "
        f"peak (VmHWM, whole process) {result['freeze_peak_mb']:.0f} MB"
    )
    for key, seconds in result.items():
        if key.startswith("step_") and key.endswith("_seconds"):
            name = key.removesuffix("_seconds")
            peak = result.get(f"{name}_peak_mb", 0.0)
            print(f"    {name.removeprefix('step_'):<36} {seconds:8.2f} s   sampled peak {peak:7.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", help="also time the loader into this PostgreSQL database URL")
    parser.add_argument("--mixed", action="store_true", help="every value form in every column (worst case)")
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="runs of the loader and of (a), taken in turn; medians are compared",
    )  # fmt: skip
    parser.add_argument(
        "--after-commit", metavar="WAREHOUSE",
        help="instead: the steps after the commit on a copy of this DuckDB warehouse file (read only)",
    )  # fmt: skip
    parser.add_argument(
        "--new-week", action="store_true",
        help="with --after-commit: as a load of next week's snapshot sets them off (not a refused load)",
    )  # fmt: skip
    parser.add_argument("--child", choices=sorted(CONTENDERS))
    parser.add_argument("--file")
    parser.add_argument("--db")
    parser.add_argument(
        "--sample", type=int, default=100_000,
        help="rows pandas to_sql really writes; its time is scaled to all rows (a million takes ~30 min)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.child:
        extra = (args.sample,) if args.child == "pandas" else ()
        result = CONTENDERS[args.child](args.file, args.db, *extra)
        result.setdefault("peak_mb", peak_mb())
        print(json.dumps(result))
        return
    if args.after_commit:
        with tempfile.TemporaryDirectory(prefix="sjgk-bench-", dir=Path(args.after_commit).parent) as folder:
            kind = "after_week" if args.new_week else "after"
            result = measure(kind, Path(args.after_commit), str(Path(folder) / "copy.duckdb"))
        what = "next week's snapshot loaded" if args.new_week else "a refused load"
        print_steps(f"steps after the commit ({what}) on a copy of {args.after_commit}", result)
        return
    with tempfile.TemporaryDirectory(prefix="sjgk-bench-") as folder:
        folder = Path(folder)
        start = time.perf_counter()
        utf8, gbk = generate(args.rows, folder, args.mixed)
        sizes = f"GBK {gbk.stat().st_size / 2**20:.0f} MB, UTF-8 {utf8.stat().st_size / 2**20:.0f} MB"
        print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s: {sizes}")
        ours, theirs = [], []
        for run in range(max(args.repeat, 1)):  # in turn, so a drift in load hits both alike
            ours.append(measure("loader", gbk, f"duckdb:///{folder / f'loader{run}.duckdb'}"))
            theirs.append(measure("duckdb", utf8, f"duckdb:///{folder / f'a{run}.duckdb'}"))
        results = {
            "loader (GBK → DuckDB warehouse)": repeated(ours),
            "(a) DuckDB read_csv, clean UTF-8": repeated(theirs),
            "(b) pandas read_csv + to_sql": measure(
                "pandas", gbk, f"duckdb:///{folder / 'b.duckdb'}", args.sample
            ),
        }
        if args.pg:
            results["loader (GBK → PostgreSQL)"] = measure("loader", gbk, args.pg)
    loader = results["loader (GBK → DuckDB warehouse)"]
    for name, result in results.items():
        print(
            f"{name:<36} {result['seconds']:8.2f} s wall {result['cpu']:8.2f} s CPU"
            f"   peak {result['peak_mb']:7.0f} MB"
            + (f"   (runs: {', '.join(f'{w:.2f}' for w in result['walls'])} s)" if "walls" in result else "")
        )
        if "freeze_seconds" in result:
            print(f"    the load to its commit: sampled peak {result['load_sampled_peak_mb']:.0f} MB")
            print_steps("  then the steps after the commit (not in ratios)", result)
    a, b = results["(a) DuckDB read_csv, clean UTF-8"], results["(b) pandas read_csv + to_sql"]
    print(
        f"rows in {loader['rows_in']:,} = loaded {loader['loaded']:,} + quarantined {loader['quarantined']:,}"
    )
    print(
        f"(b): read_csv {b['read_csv']:.1f} s measured; to_sql {b['to_sql_estimated']:.1f} s "
        f"scaled from {b['sampled']:,} rows"
    )
    wall, cpu = loader["seconds"] / a["seconds"], loader["cpu"] / a["cpu"]
    print(f"loader / (a) = {wall:.2f}x wall, {cpu:.2f}x CPU   (target <= 2)")
    wall, cpu = b["seconds"] / loader["seconds"], b["cpu"] / loader["cpu"]
    print(f"(b) / loader = {wall:.1f}x wall, {cpu:.1f}x CPU   (target >= 5)")
    print(f"loader peak memory {loader['peak_mb']:.0f} MB   (target < 2048)")
    whole = loader["seconds"] + loader["freeze_seconds"]
    print(
        f"whole command (load + the steps after its commit) / (a) = {whole / a['seconds']:.2f}x wall "
        f"({whole:.1f} s / {a['seconds']:.1f} s), peak {loader['freeze_peak_mb']:.0f} MB   "
        "(target <= 2, < 2048 MB)"
    )


if __name__ == "__main__":
    main()
