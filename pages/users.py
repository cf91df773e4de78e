"""用户管理 — directors add, disable, enable users and reset passwords."""

from __future__ import annotations

import streamlit as st

from analytics import auth
from ui import data
from ui.admin_tables import role_word, users_table
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table

viewer = page_viewer()
if not auth.can_admin(viewer.role):
    st.error(t("admin_only"))
    st.stop()

st.title(t("users_title"))
engine = data.engine()
st.subheader(t("users_list"))
show_table(users_table(auth.list_users(engine)), key="users_table")

with st.form("add_user", clear_on_submit=True):
    st.subheader(t("add_user"))
    username = st.text_input(t("username"), key="new_username")
    staff_id = st.text_input(t("staff_id"), key="new_staff_id")
    role = st.selectbox(
        t("role_override"),
        [None, "analyst", "director"],
        key="new_role",
        format_func=role_word,
    )
    password = st.text_input(t("new_password"), type="password", key="new_password")
    if st.form_submit_button(t("create")):
        try:
            auth.add_user(
                engine,
                username,
                password,
                staff_id or None,
                role,
                actor=viewer.username,
                must_change_password=True,
            )
            st.success(f"{t('user_created')}: {username}")
        except auth.UserError as error:
            st.error(str(error))

st.subheader(t("manage_user"))
names = [u["username"] for u in auth.list_users(engine) if u["username"] != viewer.username]
chosen = st.selectbox(t("choose_user"), names, key="manage_username")
left, middle, right = st.columns(3)
try:
    if chosen and left.button(t("disable"), key="disable_user"):
        auth.disable_user(engine, chosen, actor=viewer.username)
        st.success(t("done"))
    if chosen and middle.button(t("enable"), key="enable_user"):
        auth.enable_user(engine, chosen, actor=viewer.username)
        st.success(t("done"))
    reset_to = right.text_input(t("new_password"), type="password", key="reset_password_value")
    if chosen and right.button(t("reset_password"), key="reset_password") and reset_to:
        auth.reset_password(engine, chosen, reset_to, actor=viewer.username)
        st.success(t("done"))
except auth.UserError as error:
    st.error(str(error))
