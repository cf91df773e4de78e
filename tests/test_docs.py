"""The product documents itself: docs/ covers every setting and upload field, and stays fresh.

Also the start-up check on ``SJGK_*`` variables (a typo must not be silently
ignored) and tooltips that name a setting's value following the setting.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from analytics import docs
from analytics.loader.kinds import KINDS
from analytics.settings import OTHER_ENV, UnknownSettingError, describe, env_name, load_settings


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
    from analytics.settings import Settings

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


# --- docs/ covers every setting and upload field, and the generated files are fresh ---

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_generated_docs_are_fresh():
    """docs/settings.md and docs/upload.md are what the generator writes from the code now."""
    assert docs.stale() == [], "docs/ is stale: run `python -m analytics.docs`"


def test_stale_detects_a_hand_edit(tmp_path):
    docs.write(tmp_path)
    assert docs.stale(tmp_path) == []
    page = tmp_path / "upload.md"
    page.write_text(page.read_text(encoding="utf-8").replace("`商机编号`", "`商机号`"), encoding="utf-8")
    assert docs.stale(tmp_path) == ["upload.md"]


def test_every_setting_is_in_the_docs():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for item in describe():
        assert f"| `{item['name']}` |" in text, f"setting {item['name']} missing from docs/settings.md"
        assert f"`{env_name(item['name'])}`" in text
        assert item["help"].replace("|", "/") in text


def test_every_upload_field_and_header_spelling_is_in_the_docs():
    text = (DOCS / "upload.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"### `{kind.name}` — {kind.label}" in text, kind.name
        section = text.split(f"### `{kind.name}` —", 1)[1].split("\n### ", 1)[0]
        for field in kind.fields:
            row = next(
                (line for line in section.splitlines() if line.startswith(f"| `{field.name}` |")), None
            )
            assert row is not None, f"{kind.name}.{field.name} missing from docs/upload.md"
            for header in field.headers:
                assert f"`{header}`" in row, f"header {header!r} of {kind.name}.{field.name} missing"
            assert ("**R**" in row) == field.required


def test_metrics_docs_name_real_settings_and_every_setting_bound_in_sql():
    """docs/metrics.md lists, per metric, the settings that change it (lines starting ``Settings:``)."""
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    names = {item["name"] for item in describe()}
    listed = set()
    for line in text.splitlines():
        if line.startswith("Settings:"):
            listed |= set(re.findall(r"`([a-z0-9_]+)`", line))
    assert listed - names == set(), "docs/metrics.md names settings that do not exist"
    analytics = Path(__file__).resolve().parents[1] / "analytics"
    used = set()
    for path in (analytics / "queries").glob("*.sql"):
        used |= set(re.findall(r":([a-z0-9_]+)", path.read_text(encoding="utf-8"))) & names
    for path in [*(analytics / "metrics").glob("*.py"), *(analytics / "forecast").glob("*.py")]:
        used |= set(re.findall(r"settings\.([a-z0-9_]+)", path.read_text(encoding="utf-8"))) & names
    assert used - listed == set(), "settings a metric uses but docs/metrics.md lists under no metric"


def test_every_query_and_report_is_in_the_metrics_docs():
    from analytics.reports import REPORTS

    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    queries = Path(__file__).resolve().parents[1] / "analytics" / "queries"
    for path in queries.glob("[a-z]*.sql"):
        if not path.stem.startswith(("stg_", "opportunity_story_")):
            assert f"{path.name}" in text, f"query {path.name} missing from docs/metrics.md"
    for name in REPORTS:
        assert f"`{name}`" in text, f"report {name} missing from docs/metrics.md"


def test_value_form_examples_parse_with_the_loaders_own_macros():
    import duckdb

    con = duckdb.connect()
    con.execute(docs.MACROS.read_text(encoding="utf-8"))
    macro = {"amount": "parse_amount(?, 1)", "to_stage": "parse_to_status(?)"}
    for name, (examples, _) in docs.TYPE_FORMS.items():
        for example in examples:
            if name == "text":
                continue
            call = macro.get(name, f"parse_{name}(?)")
            assert con.execute(f"SELECT {call}", [example]).fetchone()[0] is not None, (name, example)


def test_every_field_type_and_note_matches_the_loader():
    for kind in KINDS.values():
        for field in kind.fields:
            assert field.type in docs.TYPE_FORMS or field.type.startswith("code:"), field.type
    for kind_name, field_name in docs.NOTES:
        assert field_name in {f.name for f in KINDS[kind_name].fields}, (kind_name, field_name)
    vocabularies = docs.coded_values()
    for vocabulary in {f.type[5:] for k in KINDS.values() for f in k.fields if f.type.startswith("code:")}:
        assert vocabulary in vocabularies, f"no spellings read for code:{vocabulary}"


def test_docs_are_linked_from_the_readme_and_the_catalogue():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    for page in ("metrics.md", "upload.md", "roles.md", "settings.md"):
        assert (DOCS / page).exists(), page
        assert f"docs/{page}" in readme, f"README.md does not link docs/{page}"
    assert "docs/metrics.md" in (root / "ui" / "catalogue" / "__init__.py").read_text(encoding="utf-8")
    for area in (root / "ui" / "catalogue").glob("*.py"):
        docstring = ast.get_docstring(ast.parse(area.read_text(encoding="utf-8"))) or ""
        assert "docs/" in docstring, f"{area.name}: its docstring should point at its section of docs/"


# --- tooltips that name a setting's value are built from the settings ---


def _catalogue_texts():
    from ui.catalogue import HELP, LABELS

    for key, pair in {**LABELS, **HELP}.items():
        yield from ((key, text) for text in pair)


def test_every_setting_placeholder_names_a_setting_and_is_filled():
    from ui.catalogue import HELP, LABELS, SETTING, help_text, label

    names = {item["name"] for item in describe()}
    for key, text in _catalogue_texts():
        for name, _ in SETTING.findall(text):
            assert name in names, f"{key}: {{setting.{name}}} is no setting"
    for language in ("zh", "en"):
        for key in HELP:
            assert "{setting." not in help_text(key, language), key
        for key in LABELS:
            assert "{setting." not in label(key, language), key


def test_no_tooltip_states_a_setting_value_literally():
    """The values that were once written into texts (fee items, thresholds, windows) now come from settings."""
    literal = re.compile(
        r"调测费|安装费|一次性费用(?!项)|10万|100,000|前10%|top 10%|近24个月|24 months|近30天|30 days|w = 10|90%"
    )
    for key, text in _catalogue_texts():
        assert not literal.search(text), f"{key} states a setting's value: {text[:80]}"


def test_tooltip_follows_a_setting_override_on_the_settings_object():
    from analytics.settings import Settings
    from ui.catalogue import help_text

    default = help_text("fc_run_rate", "zh")
    assert "最近3个已导入帐期" in default and "调测费、安装费、一次性费用" in default
    changed = Settings().with_overrides(run_rate_months=6, one_off_fee_items=["开通费", "调测费"])
    text = help_text("fc_run_rate", "zh", changed)
    assert "最近6个已导入帐期" in text and "开通费、调测费" in text and "安装费" not in text
    english = help_text("fc_run_rate", "en", changed)
    assert "the last 6 loaded periods" in english and "(开通费, 调测费)" in english
    classes = help_text("opportunity_class", "zh", Settings().with_overrides(class_major_min=150_000.0))
    assert "≥ 15万" in classes and "< 15万" in classes


def test_tooltip_follows_an_sjgk_environment_variable(monkeypatch):
    from ui.catalogue import help_text, label

    assert "the 12 months up to as_of" in help_text("cohort", "en")
    monkeypatch.setenv("SJGK_FUNNEL_MONTHS", "18")
    monkeypatch.setenv("SJGK_WIN_RATE_PRIOR_WEIGHT", "7.5")
    monkeypatch.setenv("SJGK_KEY_TOP_SHARE", "0.2")
    monkeypatch.setenv("SJGK_TRAILING_MONTHS", "6")
    assert "the 18 months up to as_of" in help_text("cohort", "en")
    assert "w = 7.5" in help_text("wl_win_rate_adjusted", "en")
    assert "前20%" in help_text("key_open_count", "zh")
    assert "近6个月" in label("wl_deal_size_team", "zh")


def test_every_function_metrics_docs_names_exists():
    """``analytics.x.y.name`` in docs/metrics.md and docs/roles.md must import: a rename shows here."""
    import importlib

    for page in ("metrics.md", "roles.md"):
        for dotted in set(re.findall(r"`(analytics(?:\.\w+)+)`", (DOCS / page).read_text(encoding="utf-8"))):
            parts = dotted.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    target = importlib.import_module(".".join(parts[:cut]))
                except ModuleNotFoundError:
                    continue
                for name in parts[cut:]:
                    assert hasattr(target, name), f"{page}: {dotted} does not exist"
                    target = getattr(target, name)
                break
