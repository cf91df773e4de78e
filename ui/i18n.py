"""The viewer's language, chosen in the sidebar, and label look-ups in it."""

from __future__ import annotations

import streamlit as st

from analytics.loader.messages import use_language
from ui.catalogue import help_text, label
from ui.data import settings


def language() -> str:
    return st.session_state.get("language", settings().language)


def t(key: str) -> str:
    """A label from the catalogue in the viewer's language."""
    return label(key, language())


def h(metric: str) -> str:
    """A metric's definition (tooltip text) in the viewer's language."""
    return help_text(metric, language())


def language_selector() -> None:
    """Sidebar switch between 简体中文 and English."""
    options = ["zh", "en"]
    current = language()
    choice = st.sidebar.radio(
        label("language", current),
        options,
        index=options.index(current),
        horizontal=True,
        format_func=lambda code: "简体中文" if code == "zh" else "English",
        key="language_choice",
    )
    st.session_state["language"] = choice
    use_language(choice)  # the loader's messages (refusals, quarantine reasons) in the same language
