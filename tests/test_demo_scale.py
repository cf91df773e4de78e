"""The demo generator at scales past its vocabulary: names and ids stay unique and it ends.

Only the parts that used to loop or fail are run (the whole demo at such scales
is benchmarks/bench_demo.py's job).
"""

from __future__ import annotations

import numpy as np
import pytest

from analytics.demo import customers


@pytest.mark.timeout(20)
def test_names_past_the_vocabulary_are_unique_and_the_draw_ends():
    """20,000 schools in one district, about twice the names the vocabulary can form
    (redrawing until unique looped for ever at scale ≥ 28)."""
    n = 20_000
    names = customers._unique_names(np.random.default_rng(1), ["教育"] * n, ["浦东"] * n)
    assert len(names) == n and len(set(names)) == n
    assert customers.AIA_NAME not in set(names)
    numbered = [name for name in names if name.endswith("）")]
    assert numbered, "names beyond the vocabulary are numbered"
    assert all("（" in name and name.split("（")[0] in set(names) for name in numbered[:100])


def test_a_clash_within_reach_is_drawn_again_not_numbered():
    """The default scales keep their names exactly: a clash is redrawn while the vocabulary lasts."""
    names = customers._unique_names(np.random.default_rng(7), ["金融"] * 500, ["黄浦"] * 500)
    assert len(set(names)) == 500
    assert not any("（" in name for name in names)


def test_customer_ids_beyond_the_old_range():
    """Past 399,900 customers (scale > 133) the id draw needed more numbers than its range held."""
    ids = customers.customer_ids(np.random.default_rng(3), 450_000)
    assert len(ids) == len(set(ids)) == 450_000
    assert list(ids) == sorted(ids, key=lambda i: int(i[1:]))
    assert list(customers.customer_ids(np.random.default_rng(3), 50)) == list(
        np.array(
            [
                f"C{k:06d}"
                for k in np.sort(np.random.default_rng(3).choice(np.arange(100, 400_000), 50, False))
            ]
        )
    ), "up to 100,000 customers the ids are drawn as they always were"


@pytest.mark.timeout(60)
def test_bulk_names_are_unique_and_drawn_all_at_once():
    """Past BULK_CUSTOMERS (scale 20) names are drawn for every customer at once: the kinds of
    name of _firm_name, no duplicates, none equal to AIA's, numbered only once redraws run out."""
    n = 150_000  # scale 50
    rng = np.random.default_rng(5)
    segments = rng.choice(np.array(list(customers.vocab.SEGMENT_INDUSTRIES), dtype=object), n)
    industries = customers._industries(rng, segments)
    for segment, choices in customers.vocab.SEGMENT_INDUSTRIES.items():
        assert set(industries[segments == segment]) == set(choices)
    branches = rng.choice(np.array(customers.vocab.BRANCHES, dtype=object), n)
    names = customers._bulk_names(rng, industries, branches)
    assert len(set(names)) == n and customers.AIA_NAME not in set(names)
    numbered = [name for name in names if name.endswith("）")]
    assert 0 < len(numbered) < 0.1 * n, "clashes are drawn again before they are numbered"
    schools = names[industries == "教育"]
    assert all(name.startswith("上海市") for name in schools)
    firms = names[industries == "制造"]
    assert all(name.split("（")[0].endswith(tuple(customers.vocab.FIRM_SUFFIXES)) for name in firms)


def test_customers_past_the_bulk_threshold_use_the_bulk_draw(monkeypatch):
    """build_customers switches to the all-at-once draw past BULK_CUSTOMERS only (the default
    scales keep their draws: test_demo_generate)."""
    from analytics.demo.org import build_org

    org = build_org(np.random.default_rng(2), 20_000, 0.5)
    calls = []
    monkeypatch.setattr(customers, "_bulk_names", lambda *a: calls.append(1) or customers._draw_names(*a))
    customers.build_customers(np.random.default_rng(3), org, 0.5)
    assert calls == []
    monkeypatch.setattr(customers, "BULK_CUSTOMERS", 1000)
    built = customers.build_customers(np.random.default_rng(3), org, 0.5)
    assert calls == [1] and built.name[0] == customers.AIA_NAME and len(built.name) == 1500


def test_a_scale_past_the_machines_memory_is_refused_at_once_in_words(tmp_path, monkeypatch, capsys):
    """A scale whose draw cannot fit in memory is refused before anything is drawn or
    written (it would be killed after minutes), naming the memory and the largest scale."""
    import time

    from analytics import cli, commands
    from analytics.demo import generate

    monkeypatch.setattr(commands, "machine_memory_mb", lambda: 4096.0)
    monkeypatch.setattr(generate, "generate_tables", lambda *a, **k: pytest.fail("drew"))
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    started = time.perf_counter()
    assert cli.main(["demo", "--db", url, "--scale", "200"]) == 2
    assert time.perf_counter() - started < 5
    said = capsys.readouterr().err
    assert "--scale 200" in said and "4.0 GB" in said and "largest scale it can build is about 82" in said
    assert "需要约" in said
    assert commands.demo_scale_refusal(50, 4096.0) is None, "the 1 M demo fits in 4 GB"


def test_the_steps_after_the_demo_commit_have_room_to_build(tmp_path, monkeypatch):
    """The write runs under the demo's cap, the derived builds and freezes after it under the
    larger one (scale 50: the opportunity facts' build ran out of memory under 800 MB)."""
    from sqlalchemy import text

    from analytics import cli, commands, ingest
    from analytics.db import get_engine
    from analytics.dialect import limit_memory

    def cap(engine) -> str:
        with engine.connect() as conn:
            return conn.execute(text("SELECT current_setting('memory_limit')")).scalar()

    seen: dict[str, str] = {}
    monkeypatch.setattr(
        commands, "replace_tables", lambda engine, *a, **k: (seen.update(write=cap(engine)), (1, {}))[1]
    )
    monkeypatch.setattr(ingest, "after_rebuild", lambda engine, *a, **k: seen.update(after=cap(engine)) or [])
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    assert cli.main(["demo", "--db", url, "--scale", "0.05"]) == 0
    probe = get_engine(f"duckdb:///{tmp_path / 'probe.duckdb'}")
    expected = {}
    for step, megabytes in (
        ("write", commands.DEMO_DUCKDB_MEMORY_MB),
        ("after", commands.AFTER_COMMIT_DUCKDB_MEMORY_MB),
    ):
        limit_memory(probe, megabytes)
        expected[step] = cap(probe)
    assert seen == expected and expected["write"] != expected["after"]
