"""The sidebar filters every page shares, kept in the URL query string and across pages.

A leader can copy the address bar to share exactly this view.  Values from the
URL are only ever used as filters inside the viewer's scope (the scope is
applied in SQL regardless), so editing the URL cannot widen what is shown.
Moving to another page drops the query string, so the filters are also kept
in the tab's session and put back into the URL of a page opened without any.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.metrics.options import filter_options, snapshot_dates
from analytics.scope import TEAM_SEPARATOR, Filters, Scope, split_team_key
from ui import data
from ui.i18n import t

FILTER_FIELDS = (
    ("branches", "branch"),
    ("teams", "team"),
    ("products", "product"),
    ("industries", "industry"),
)
URL_PARAMS = ("as_of", *(param for _, param in FILTER_FIELDS), "created_from", "created_to")
REMEMBERED_KEY = "shared_filters"


def _restore_remembered() -> None:
    """A page opened without filters in its URL (a page change) gets this tab's last ones back.

    A URL that names any filter is a link or the page's own state and wins whole.
    """
    if any(param in st.query_params for param in URL_PARAMS):
        return
    for param, value in st.session_state.get(REMEMBERED_KEY, {}).items():
        st.query_params[param] = value


def _remember() -> None:
    """Keep the filters as they now stand in the URL, for the next page this tab opens."""
    st.session_state[REMEMBERED_KEY] = {p: st.query_params[p] for p in URL_PARAMS if p in st.query_params}


def _from_url(param: str) -> list[str]:
    raw = st.query_params.get(param, "")
    return [v for v in raw.split(",") if v]


def _team_from_url(value: str, available: list[str]) -> str:
    """A team in a link as its branch/team key; an older link's bare name only when unambiguous.

    Team names repeat across branches, so a bare name that several of the
    viewer's teams share is not applied, and the sidebar says so.
    """
    if TEAM_SEPARATOR in value:
        return value
    keys = [key for key in available if split_team_key(key)[1] == value]
    if len(keys) == 1:
        return keys[0]
    if keys:
        st.sidebar.warning(t("team_link_ambiguous").format(team=value))
    return value


def _to_url(param: str, values: list[str]) -> None:
    if values:
        st.query_params[param] = ",".join(values)
    elif param in st.query_params:
        del st.query_params[param]


def _as_of_choice(scope: Scope) -> date:
    dates = data.compute(snapshot_dates, data.make_context(scope, Filters(), data.default_as_of()))
    if not dates:
        return data.default_as_of()
    wanted = st.query_params.get("as_of", "")
    index = next((i for i, d in enumerate(dates) if str(d) == wanted), 0)
    chosen = st.sidebar.selectbox(t("as_of"), dates, index=index, key="filter_as_of")
    if index != 0 or chosen != dates[0]:
        st.query_params["as_of"] = str(chosen)
    return chosen


def _date_from_url(param: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(param, ""))
    except ValueError:
        return None


def _created_range() -> tuple[date | None, date | None]:
    """Optional cohort period (opportunities created from / to), kept in the URL."""
    bounds = []
    for param in ("created_from", "created_to"):
        value = st.sidebar.date_input(t(param), value=_date_from_url(param), key=f"filter_{param}")
        if value:
            st.query_params[param] = str(value)
        elif param in st.query_params:
            del st.query_params[param]
        bounds.append(value or None)
    return bounds[0], bounds[1]


def sidebar_filters(scope: Scope) -> tuple[Filters, date]:
    """Draw the shared filters; return the chosen Filters and as_of date."""
    if scope.level == "nothing":  # no data rights: nothing to filter, and "widen the filters" would mislead
        st.info(t("no_data_rights"))
        st.stop()
    st.sidebar.subheader(t("filters"))
    _restore_remembered()
    as_of = _as_of_choice(scope)
    options = data.compute(filter_options, data.make_context(scope, Filters(), as_of))
    chosen: dict[str, tuple[str, ...]] = {}
    for field, param in FILTER_FIELDS:
        available = options.get(field, [])
        linked = _from_url(param)
        if field == "teams":
            linked = [_team_from_url(v, available) for v in linked]
        default = [v for v in linked if v in available]
        values = st.sidebar.multiselect(
            t(param),
            available,
            default=default,
            placeholder=t("all"),
            key=f"filter_{param}",
            select_all=False,
        )  # select_all: Streamlit's option reads 'Select all' in English
        _to_url(param, values)
        chosen[field] = tuple(values)
    start, end = _created_range()
    _remember()
    st.sidebar.caption(t("share_link"))
    return Filters(**chosen, start=start, end=end), as_of
