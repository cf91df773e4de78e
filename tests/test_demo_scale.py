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
