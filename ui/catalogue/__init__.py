"""Every label and every metric definition the UI shows, in one catalogue.

Simplified Chinese is the default, English the option.  Metric help texts are
worded as in metrics.md, so the tooltip on a number is its definition.  The
catalogue is split by area (one module each, so work on one page does not
touch another's labels) and merged here; a key defined twice is an error.
This package has no Streamlit import: exports and tests read it too.
"""

from __future__ import annotations

import importlib
import pkgutil

LABELS: dict[str, tuple[str, str]] = {}
HELP: dict[str, tuple[str, str]] = {}

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    _area = importlib.import_module(f"{__name__}.{_module}")
    for _target, _name in ((LABELS, "LABELS"), (HELP, "HELP")):
        _entries = getattr(_area, _name, {})
        _twice = set(_target) & set(_entries)
        if _twice:
            raise ValueError(f"catalogue keys defined twice ({_module}): {sorted(_twice)}")
        _target.update(_entries)


def label(key: str, language: str = "zh") -> str:
    """A UI label in the chosen language (the key itself if missing, so gaps show)."""
    pair = LABELS.get(key)
    return key if pair is None else pair[0 if language == "zh" else 1]


def help_text(metric: str, language: str = "zh") -> str:
    """A metric's definition, as written in metrics.md."""
    pair = HELP[metric]
    return pair[0 if language == "zh" else 1]
