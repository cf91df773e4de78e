"""数据上传 — choose export files, see how each will be read, load them, read the report.

The preview runs the loader's own parse (``loader.inspect``) without writing;
overrides chosen here (kind, encoding, snapshot date, worksheet, header
mapping) go back into the next preview and into the load.  Loading is
``ingest.ingest`` (the loader's batch, then the steps after its commit, each
timed), the same call as ``python -m analytics load``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import auth, ingest, loader
from ui import data
from ui import format as fmt
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import uploader_in_words

viewer = page_viewer()
if not auth.can_upload(viewer.role):
    st.error(t("upload_no_right"))
    st.stop()

st.title(t("page_upload"))
st.caption(t("upload_intro"))
files = st.file_uploader(
    t("upload_choose"), type=["csv", "txt", "xlsx", "zip"], accept_multiple_files=True, key="upload_files",
    max_upload_size=data.settings().max_upload_mb,
)  # fmt: skip
uploader_in_words("upload_files", data.settings().max_upload_mb)
chosen_files = tuple((f.name, f.size, getattr(f, "file_id", "")) for f in files or [])
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030"]
share = data.settings().replace_shrink_confirm_share
saved = st.session_state.setdefault("upload_overrides", {})


def overrides_for(name: str) -> loader.Overrides:
    chosen = saved.get(name, {})
    return loader.Overrides(
        kind=chosen.get("kind"),
        encoding=chosen.get("encoding"),
        snapshot_date=chosen.get("snapshot"),
        sheet=chosen.get("sheet"),
        mapping=tuple(sorted(chosen.get("mapping", {}).items())),
    )


def show_report(report: loader.BatchReport) -> None:
    st.subheader(t("upload_report"))
    message = {"loaded": st.success, "unchanged": st.info}.get(report.outcome, st.error)
    key = {
        "loaded": "upload_done", "unchanged": "upload_unchanged", "refused": "upload_refused_batch",
        "unconfirmed": "upload_unconfirmed",
    }  # fmt: skip
    message(t(key.get(report.outcome, "upload_failed")) + (f" {report.message}" if report.message else ""))
    cols = st.columns(3)
    cols[0].metric(t("upload_rows_in"), f"{report.rows_in:,}")
    cols[1].metric(t("upload_rows_loaded"), f"{report.loaded:,}")
    cols[2].metric(t("upload_rows_quarantined"), f"{report.quarantined:,}")
    show_table(report.summary_frame(), key="upload_summary")
    show_steps(report.after_commit)
    if report.warnings:
        st.markdown(f"**{t('upload_warnings')}**")
        for warning in report.warnings:
            st.warning(warning)
    if len(report.quarantine):
        st.markdown(f"**{t('upload_quarantine')}**")
        show_table(loader.quarantine_for_people(report.quarantine), key="upload_quarantine")
    st.download_button(
        t("upload_download"), loader.to_excel(report), file_name=f"导入报告_{report.batch_id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="upload_download",
    )  # fmt: skip


def show_steps(steps: list[loader.Step]) -> None:
    """Each step after the commit with its real time; a failed one says it will be retried."""
    if not steps:
        return
    st.markdown(f"**{t('upload_after_commit')}**（{sum(s.seconds for s in steps):.2f} s）")
    for step in steps:
        what = f"{t(f'step_{step.code}')} {step.detail}".strip()
        if step.error is None:
            st.caption(f"{what}: {step.seconds:.2f} s")
        else:
            st.warning(f"{what}: {t('upload_step_failed')} {step.error}")


def show_replacements(replacements: list[loader.Replacement]) -> None:
    """Before anything is written: old rows and value against new, per key (issue 17), in the
    loader's own words (analytics/loader/messages.py: the viewer's language)."""
    if not replacements:
        return
    st.markdown(f"**{t('loader_replace_title')}**")
    for item in replacements:
        (st.warning if item.needs_confirmation(share) else st.caption)(item.sentence())


def shrink_confirmed(shrinking: list[loader.Replacement]) -> bool:
    """One checkbox per replacement that shrinks too much, naming its numbers; True when all ticked."""
    if not shrinking:
        return True
    st.warning(t("upload_confirm_needed").format(share=fmt.pct(share, 0)))
    ticked = [
        st.checkbox(item.confirmation(), key=f"upload_confirm_{index}_{item.file_name}_{item.key}")
        for index, item in enumerate(shrinking)
    ]
    return all(ticked)


def show_diff(diff: dict | None) -> None:
    if diff is None:
        st.caption(t("upload_diff_first"))
    elif not (diff["added"] or diff["missing"] or diff["renamed"]):
        st.caption(t("upload_diff_none"))
    else:
        renamed = "、".join(f"{r['before']} → {r['now']}" for r in diff["renamed"]) or "-"
        added, missing = "、".join(diff["added"]) or "-", "、".join(diff["missing"]) or "-"
        st.warning(
            f"{t('upload_diff')}（#{diff['previous_load']}）— {t('upload_added')}: {added}；"
            f"{t('upload_missing')}: {missing}；{t('upload_renamed')}: {renamed}"
        )


def file_controls(index: int, result: loader.FileResult) -> dict:
    """The override widgets of one file; returns what they say now."""
    chosen = dict(saved.get(result.name, {}))
    cols = st.columns(4)
    kinds = [None, *loader.ORDER]
    chosen["kind"] = cols[0].selectbox(
        t("upload_kind"), kinds, index=kinds.index(chosen.get("kind")), key=f"upload_kind_{index}",
        format_func=lambda k: t("upload_auto") if k is None else f"{loader.KINDS[k].label}（{k}）",
    )  # fmt: skip
    encodings = list(dict.fromkeys([None, *ENCODINGS, *result.choices, chosen.get("encoding")]))
    if result.encoding != "xlsx":
        chosen["encoding"] = cols[1].selectbox(
            t("upload_encoding"), encodings, index=encodings.index(chosen.get("encoding")),
            key=f"upload_encoding_{index}", format_func=lambda e: t("upload_auto") if e is None else e,
        )  # fmt: skip
    elif result.choices or chosen.get("sheet"):
        sheets = list(dict.fromkeys([None, *result.choices, chosen.get("sheet")]))
        chosen["sheet"] = cols[1].selectbox(
            t("upload_sheet"), sheets, index=sheets.index(chosen.get("sheet")), key=f"upload_sheet_{index}",
            format_func=lambda s: t("upload_auto") if s is None else s,
        )  # fmt: skip
    if cols[2].checkbox(
        t("upload_snapshot_set"), value=chosen.get("snapshot") is not None, key=f"upload_snap_on_{index}"
    ):
        chosen["snapshot"] = cols[3].date_input(
            t("upload_snapshot"), value=chosen.get("snapshot"), key=f"upload_snap_{index}"
        )
    else:
        chosen["snapshot"] = None
    if result.mapping and result.kind:
        chosen["mapping"] = mapping_editor(index, result, chosen.get("mapping", {}))
    return chosen


def mapping_editor(index: int, result: loader.FileResult, current: dict) -> dict:
    fields = [t("upload_ignore"), *(f.name for f in loader.KINDS[result.kind].fields)]
    frame = pd.DataFrame(
        {
            t("upload_header"): [m["header"] for m in result.mapping],
            t("upload_field"): [m["field"] or t("upload_ignore") for m in result.mapping],
            t("upload_unit"): [m["unit"] or "" for m in result.mapping],
        }
    )
    edited = st.data_editor(
        frame, hide_index=True, key=f"upload_map_{index}", disabled=[t("upload_header"), t("upload_unit")],
        column_config={t("upload_field"): st.column_config.SelectboxColumn(options=fields, required=True)},
    )  # fmt: skip
    st.caption(t("upload_mapping_help"))
    mapping = dict(current)
    chosen = zip(edited[t("upload_header")], edited[t("upload_field")], strict=True)
    for before, (header, field) in zip(result.mapping, chosen, strict=True):
        value = None if field == t("upload_ignore") else field
        if value != before["field"]:
            mapping[header] = value
    return mapping


if files:
    inputs = [loader.Input(f.name, data=f.getvalue()) for f in files]
    key = (chosen_files, repr(sorted(saved.items(), key=str)))
    if st.session_state.get("upload_preview_key") != key:
        per_file = {name: overrides_for(name) for name in saved}
        st.session_state["upload_preview"] = loader.inspect(
            data.engine(), inputs, data.settings(), per_file=per_file
        )
        st.session_state["upload_preview_key"] = key
    results = st.session_state["upload_preview"]
    st.subheader(t("upload_preview"))
    changed = False
    for index, result in enumerate(results):
        counts = f"{result.rows_in:,} / {result.quarantined:,}"
        title = f"{result.name} — {result.kind_label or '?'} · {result.encoding or '?'} · {counts}"
        with st.expander(title, expanded=True):
            if result.message:
                st.error(f"{t('upload_refused')}: {result.message}")
            delimiter = {",": "逗号 ,", "\t": "制表符 Tab"}.get(
                result.delimiter or "", result.delimiter or "-"
            )
            st.caption(
                f"{t('upload_delimiter')}: {delimiter} · {t('upload_coverage')}: {result.coverage or '-'}"
            )
            for note in result.notes:
                st.caption(note)
            now = file_controls(index, result)
            if {k: v for k, v in now.items() if v} != {
                k: v for k, v in saved.get(result.name, {}).items() if v
            }:
                saved[result.name], changed = now, True
            show_replacements(result.replacements)
            if result.preview is not None:
                show_diff(result.diff)
                st.markdown(f"**{t('upload_first_rows')}**")
                show_table(result.preview, key="upload_preview")
            if result.sample is not None and len(result.sample):
                st.markdown(f"**{t('upload_problems')}**")
                show_table(loader.quarantine_for_people(result.sample), key="upload_sample")
    if changed:
        st.rerun()
    blocked = any(r.outcome == "refused" for r in results)
    if blocked:
        st.warning(t("upload_blocked"))
    shrinking = [item for r in results for item in r.replacements if item.needs_confirmation(share)]
    confirmed = shrink_confirmed(shrinking)
    if st.button(t("upload_load"), type="primary", disabled=blocked or not confirmed, key="upload_load"):
        bar = st.progress(0.0, text=t("upload_progress"))
        try:
            st.session_state["upload_report"] = ingest.ingest(
                data.engine(), inputs, username=viewer.username, settings=data.settings(),
                per_file={name: overrides_for(name) for name in saved}, confirm_shrink=bool(shrinking),
                progress=lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text=text),
            )  # fmt: skip
            st.session_state["upload_report_files"] = chosen_files
        except loader.LoadError as error:
            st.error(f"{t('upload_failed')} {error}")
        st.session_state.pop("upload_preview_key", None)

# The report of the files now chosen only: a new choice's preview stands alone.
if (
    st.session_state.get("upload_report") is not None
    and st.session_state.get("upload_report_files") == chosen_files
):
    show_report(st.session_state["upload_report"])
