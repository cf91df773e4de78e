"""Every label and every metric definition the UI shows, in one catalogue.

Simplified Chinese is the default, English the option.  Metric help texts are
worded as the product's own reference, docs/metrics.md (settings in
docs/settings.md, uploads in docs/upload.md, roles in docs/roles.md), so the
tooltip on a number is its definition.  A text that names a setting's value
writes ``{setting.NAME}`` (optionally ``{setting.NAME:SPEC}``: a format spec
such as ``.0%``, or ``wan`` for an amount in 万) and is filled from
:mod:`analytics.settings` at lookup time, so an overridden setting shows in
its tooltip.  The catalogue is split by area (one module each, so work on one
page does not touch another's labels) and merged here; a key defined twice is
an error.  This package has no Streamlit import: exports and tests read it too.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

from analytics.settings import Settings, load_settings

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


SETTING = re.compile(r"\{setting\.(\w+)(?::([^{}]*))?\}")


def label(key: str, language: str = "zh", settings: Settings | None = None) -> str:
    """A UI label in the chosen language (the key itself if missing, so gaps show)."""
    pair = LABELS.get(key)
    return key if pair is None else fill(pair[0 if language == "zh" else 1], language, settings)


def help_text(metric: str, language: str = "zh", settings: Settings | None = None) -> str:
    """A metric's definition, as written in docs/metrics.md, with the settings' current values."""
    pair = HELP[metric]
    return fill(pair[0 if language == "zh" else 1], language, settings)


def fill(text: str, language: str, settings: Settings | None = None) -> str:
    """Replace each ``{setting.NAME[:SPEC]}`` by the setting's value, so a text never states a stale one."""
    if "{setting." not in text:
        return text
    values = settings or load_settings()
    return SETTING.sub(lambda m: _shown(getattr(values, m[1]), m[2], language), text)


def _shown(value: Any, spec: str | None, language: str) -> str:
    """A setting's value as a reader expects it: lists joined, whole floats without .0, 万 in Chinese."""
    if spec == "wan":
        return f"{float(value) / 10_000:g}万" if language == "zh" else f"{float(value):,.0f}"
    if isinstance(value, list):
        return ("、" if language == "zh" else ", ").join(str(item) for item in value)
    if spec:
        return format(value, spec)
    return f"{value:g}" if isinstance(value, float) else str(value)
