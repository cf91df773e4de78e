"""Small rendering helpers pages share: freshness line, metrics with definitions."""

from __future__ import annotations

import streamlit as st

from ui.i18n import h, t


def freshness_caption(freshness: dict) -> None:
    """Always-visible data freshness: snapshot, revenue period, last load."""

    def shown(value) -> str:
        return t("no_data") if value is None or value != value else str(value)[:16]

    st.caption(
        f"{t('freshness')} · {t('newest_snapshot')}: {shown(freshness.get('newest_snapshot'))}"
        f" · {t('last_revenue_period')}: {shown(freshness.get('last_revenue_period'))}"
        f" · {t('last_loaded_at')}: {shown(freshness.get('last_loaded_at'))}"
    )


def metric(
    column, label_key: str, value: str, metric_key: str, delta: str | None = None, delta_color: str = "normal"
) -> None:
    """A metric whose tooltip is its definition from the catalogue.

    A missing delta ('—', as ui.format writes one) is no delta: Streamlit would
    draw it as a green '↑ —'.
    """
    shown = None if delta is None or delta.strip() in ("", "—", "-") else delta
    column.metric(t(label_key), value, delta=shown, delta_color=delta_color, help=h(metric_key))


def uploader_in_words(key: str, max_mb: int) -> None:
    """The uploader of ``key`` in the viewer's language, and its limits in a caption.

    Streamlit's uploader writes 'Upload' and '200MB per file' in English with no
    option to change them; a scoped style hides both and labels the button from
    the catalogue; the caption states the limit the loader applies (max_upload_mb).
    """
    button = t("upload_button").replace('"', "")
    zone = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    words = f"{zone} button [data-testid='stMarkdownContainer']"
    st.html(
        f"<style>{words} p, {zone} [data-testid='stFileUploaderDropzoneInstructions'] {{display: none;}}"
        f' {words}::after {{content: "{button}";}}</style>'
    )
    st.caption(t("upload_limits").format(mb=max_mb))
