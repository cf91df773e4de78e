"""下载会议材料: the meeting pack of the viewer's own scope and filters, from any page.

A page makes one call, ``pack_button(viewer, ctx)``.  Building takes seconds, so
it runs only when asked, inside a progress indicator (``st.status``); the file
is then offered for download, and taking it is recorded in the audit log
(action ``pack``) when it is built for the viewer: from then on Streamlit serves
the bytes to their browser.  The pack is built by
``analytics.pack.build``, the same code as ``python -m analytics pack`` and the
subscriptions, so the three give the same pack.
"""

from __future__ import annotations

import streamlit as st

from analytics.context import Context
from analytics.pack.build import FORMATS, MIME, build, record
from ui.catalogue.pack import pack_texts
from ui.data import settings
from ui.i18n import language, t
from ui.session import Viewer

BUILT_KEY = "pack_built"


def _key(ctx: Context, fmt: str) -> str:
    """What a built pack was built for: a change of scope, filters, date or format drops it."""
    return repr((ctx.scope, ctx.filters, ctx.as_of, fmt, language()))


def pack_button(viewer: Viewer, ctx: Context, key: str = "pack") -> None:
    """The format choice, the build button with its progress, and the download."""
    with st.expander(t("pk_download"), icon=":material/download:"):
        fmt = st.radio(t("pk_format"), FORMATS, horizontal=True, key=f"{key}_format", format_func=str.upper)
        stored = st.session_state.get(BUILT_KEY)
        if st.button(t("pk_download"), key=f"{key}_build", type="primary"):
            with st.status(t("pk_building"), expanded=False) as status:
                built = build(ctx, pack_texts(language(), settings()), viewer.username, fmt)
                record(ctx.engine, viewer.username, built, via="page")
                status.update(label=t("pk_built").format(seconds=built.seconds), state="complete")
            stored = (_key(ctx, fmt), built)
            st.session_state[BUILT_KEY] = stored
        if stored is not None and stored[0] == _key(ctx, fmt):
            built = stored[1]
            st.download_button(
                t("pk_save"),
                data=built.content,
                file_name=built.filename,
                mime=MIME[built.fmt],
                key=f"{key}_save",
                on_click="ignore",
            )
