"""会议材料订阅 (issue 18): the director's view of subscriptions — list with the last delivery
(a failed one is shown and retried by the next ``deliver``), add, pause/resume, remove, send now."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import auth
from analytics.pack import delivery, subscriptions
from ui import data
from ui.catalogue.pack import pack_texts
from ui.i18n import language, t
from ui.session import Viewer
from ui.tables import Column, show_table

CRON_LINE = "*/5 * * * * cd /srv/sjgk && .venv/bin/python -m analytics deliver >> data/deliver.log 2>&1"
COLUMNS = {
    "id": "pk_sub_id", "recipient": "pk_sub_recipient", "email": "pk_sub_email", "formats": "pk_sub_formats",
    "schedule": "pk_sub_schedule", "filters": "pk_sub_filters", "channel": "pk_sub_channel",
    "paused": "pk_sub_paused", "last_due": "pk_sub_last", "last_status": "pk_sub_status",
}  # fmt: skip
KINDS = {"id": "int", "paused": "bool", "last_due": "datetime"}


def show_list(engine) -> pd.DataFrame:
    """Every subscription and how its last delivery went; failures called out."""
    frame = subscriptions.listing(engine)
    if frame.empty:
        st.info(t("pk_sub_none"))
        return frame
    show_table(
        frame,
        [Column(source, label, None, KINDS.get(source, "text")) for source, label in COLUMNS.items()],
        key="pk_sub_table",
    )
    for row in frame[frame["last_status"] == "failed"].to_dict("records"):
        st.warning(f"#{row['id']} · " + t("pk_sub_failed").format(detail=row["last_detail"]))
    return frame


def _format_name(fmt: str) -> str:
    """XLSX / PDF, or the alerts-only subscription in words."""
    return t("pk_format_alerts") if fmt == subscriptions.ALERTS_ONLY else fmt.upper()


def _weekday_name(day: int) -> str:
    return t(f"pk_weekday_{subscriptions.WEEKDAYS[day]}")


def add_form(engine, viewer: Viewer) -> None:
    """A new subscription: recipient (a user), formats, schedule, filters, channel."""
    users = [u["username"] for u in auth.list_users(engine) if u.get("active", True)]
    with st.form("pk_add", clear_on_submit=False):
        st.subheader(t("pk_sub_add"))
        recipient = st.selectbox(t("pk_sub_recipient"), users, key="pk_recipient")
        email = st.text_input(t("pk_sub_email"), key="pk_email")
        formats = st.multiselect(t("pk_sub_formats"), subscriptions.SUBSCRIPTION_FORMATS, default=["pdf"],
                                 key="pk_formats", format_func=_format_name, placeholder=t("all"),
                                 select_all=False)  # fmt: skip
        kind = st.radio(t("pk_sub_kind"), subscriptions.SCHEDULES, horizontal=True, key="pk_kind",
                        format_func=lambda k: t(f"pk_sub_{k}"))  # fmt: skip
        weekday = st.selectbox(t("pk_sub_weekday"), range(7), key="pk_weekday",
                               format_func=_weekday_name)  # fmt: skip
        day = st.number_input(t("pk_sub_day"), 1, 31, 1, key="pk_day")
        at_time = st.text_input(t("pk_sub_time"), "08:00", key="pk_time")
        filters = st.text_area(t("pk_sub_filters"), key="pk_filters")
        channel = st.selectbox(t("pk_sub_channel"), subscriptions.CHANNELS, index=1, key="pk_channel")
        if st.form_submit_button(t("pk_sub_add")):
            try:
                new_id = subscriptions.add(
                    engine, recipient, list(formats), kind, at_time.strip(),
                    weekday=weekday if kind == "weekly" else None,
                    day_of_month=int(day) if kind == "monthly" else None, email=email.strip() or None,
                    filters=[line.strip() for line in filters.splitlines() if line.strip()],
                    channel=channel, created_by=viewer.username,
                )  # fmt: skip
                st.success(t("pk_sub_added").format(id=new_id))
            except ValueError as error:
                st.error(str(error))


def manage(engine, viewer: Viewer, frame: pd.DataFrame) -> None:
    """Pause/resume, remove, or send one at once ('send a test')."""
    if frame.empty:
        return
    recipients = dict(zip(frame["id"], frame["recipient"], strict=True))
    chosen = st.selectbox(
        t("pk_sub_choose"), list(recipients), key="pk_choose", format_func=lambda i: f"#{i} · {recipients[i]}"
    )
    left, middle, right = st.columns(3)
    if left.button(t("pk_sub_pause"), key="pk_pause"):
        paused = bool(frame.set_index("id").loc[chosen, "paused"])
        subscriptions.set_paused(engine, chosen, not paused, viewer.username)
        st.rerun()
    if middle.button(t("pk_sub_remove"), key="pk_remove"):
        subscriptions.remove(engine, chosen, viewer.username)
        st.rerun()
    if right.button(t("pk_sub_send_now"), key="pk_send_now"):
        with st.status(t("pk_building")):
            outcome = delivery.deliver_now(
                engine, chosen, data.settings(), pack_texts(language(), data.settings())
            )
        shown = t("pk_sub_sent") if outcome.status == "sent" else t("pk_sub_failed")
        (st.success if outcome.status == "sent" else st.error)(shown.format(detail=outcome.detail))
    st.subheader(t("pk_sub_deliveries"))
    show_table(subscriptions.deliveries(engine, chosen), key="pk_deliveries")


def cron_hint() -> None:
    st.caption(t("pk_sub_cron"))
    st.code(CRON_LINE, language="bash")
