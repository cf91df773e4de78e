"""The product documents itself: docs/ covers every setting and upload field, and stays fresh.

Also the start-up check on ``SJGK_*`` variables (a typo must not be silently
ignored) and tooltips that name a setting's value following the setting.
"""

from __future__ import annotations

import re

import pytest

from analytics.settings import OTHER_ENV, UnknownSettingError, load_settings


def test_unknown_sjgk_variable_is_an_error_naming_the_closest_settings():
    with pytest.raises(UnknownSettingError) as raised:
        load_settings({"SJGK_IDEL_DAYS": "45", "PATH": "/bin"})
    message = str(raised.value)
    assert "SJGK_IDEL_DAYS" in message
    assert "SJGK_IDLE_DAYS" in message


def test_unknown_sjgk_variable_fails_at_start_up_from_the_environment(monkeypatch):
    monkeypatch.setenv("SJGK_RUN_RATE_MONTH", "6")
    with pytest.raises(UnknownSettingError, match="SJGK_RUN_RATE_MONTHS"):
        load_settings()


def test_variables_used_outside_settings_are_allowed():
    env = {name: "1" for name in OTHER_ENV}
    env["SJGK_DATABASE_URL"] = "duckdb:///x.duckdb"
    assert load_settings(env).database_url == "duckdb:///x.duckdb"


def test_every_sjgk_variable_the_code_reads_is_known():
    """A new ``SJGK_*`` read in scripts, tests or benchmarks must be allowed in settings.OTHER_ENV."""
    from pathlib import Path

    from analytics.settings import Settings, env_name

    root = Path(__file__).resolve().parents[1]
    known = {env_name(name) for name in Settings.__dataclass_fields__} | OTHER_ENV
    files = [root / "Makefile", *(root / ".ci").glob("*")]
    for folder in ("analytics", "ui", "pages", "scripts", "benchmarks", "tests"):
        files += [p for p in (root / folder).rglob("*") if p.suffix in {".py", ".sh", ".sql"}]
    seen = set()
    for path in files:
        if path.is_file() and path.name != "test_docs.py":
            seen |= set(
                re.findall(r"SJGK_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8", errors="replace"))
            )
    assert seen - known == set()
