"""Loading a snapshot freezes that week's forecast, so the calibration page can score it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from analytics import loader
from analytics.settings import load_settings

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def test_loaded_snapshots_get_frozen_forecasts(empty_engine):
    files = sorted(p for p in SAMPLES.iterdir() if p.name != "README.txt")
    report = loader.load(
        empty_engine, [loader.Input.from_path(p) for p in files], username="test", settings=load_settings()
    )
    assert report.ok, report.text()
    with empty_engine.connect() as conn:
        frozen = {
            row[0] for row in conn.execute(text("SELECT DISTINCT snapshot_date FROM forecast_snapshots"))
        }
    assert {str(day)[:10] for day in frozen} == {"2026-11-13", "2026-11-20"}
    assert date(2026, 11, 20) in {d if isinstance(d, date) else d.date() for d in frozen}
