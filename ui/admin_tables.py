"""The administration tables as people read them: headed, coded values and log lines in words.

用户管理, 审计日志 and 导入记录 show what analytics returns (column names,
role and outcome codes, the audit trail's English lines as recorded); here
each column gets its catalogue header, each code its catalogue word, and the
audit trail's fixed sentences their translation — the stored log is not
rewritten, only shown in the viewer's language.  Missing values are blank.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from analytics import loader
from ui.i18n import t

USER_COLUMNS = ("username", "staff_id", "name", "role", "branch", "team", "staff_status", "active", "locked")
USER_CODES = {"role": "role_", "staff_status": "staff_status_"}
AUDIT_COLUMNS = ("at", "username", "action", "detail", "success")
HISTORY_CODES = {"outcome": "history_outcome_"}

# The audit trail's fixed sentences (analytics/auth, loader) → catalogue key, groups as {0}, {1}.
DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^signed in( \(password rehashed\))?$", "audit_detail_signed_in"),
        (r"^signed out$", "audit_detail_signed_out"),
        (r"^added user (\S+) \((.*)\)$", "audit_detail_added"),
        (r"^disabled user (\S+)$", "audit_detail_disabled"),
        (r"^enabled user (\S+)$", "audit_detail_enabled"),
        (r"^reset the password of (\S+)$", "audit_detail_reset"),
        (r"^changed own password$", "audit_detail_changed_password"),
        (r"^wrong current password$", "audit_detail_wrong_current"),
        (r"^unknown user$", "audit_detail_unknown_user"),
        (r"^account disabled$", "audit_detail_account_disabled"),
        (r"^bad password \((\d+) in a row\)(?:; locked until (.*))?$", "audit_detail_bad_password"),
        (r"^staff (\S+) is no longer active in the org$", "audit_detail_staff_left"),
    )
)
BINDING = re.compile(r"(staff|role) (\S+?)(?=,|$)")


def _blank(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text cells blank (Streamlit's table would print 'None')."""
    text = frame.select_dtypes(include="object").columns
    frame[text] = frame[text].astype(object).where(frame[text].notna(), "")
    return frame


def _coded(frame: pd.DataFrame, codes: Mapping[str, str]) -> pd.DataFrame:
    """Each coded column's values as their catalogue words (prefix + code); blanks stay blank."""
    for column, prefix in codes.items():
        if column in frame:
            frame[column] = frame[column].map(lambda code, p=prefix: t(f"{p}{code}") if code else "")
    return frame


def _headed(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return frame.rename(columns={c: t(f"{prefix}{c}") for c in frame.columns})


def users_table(users: list[dict]) -> pd.DataFrame:
    """用户列表: who can sign in, bound to whom, acting as what, active or locked."""
    frame = pd.DataFrame(users, columns=list(USER_COLUMNS))
    return _headed(_blank(_coded(frame, USER_CODES)), "users_col_")


def role_word(role: str | None) -> str:
    """A role code in words; None is 'from the org data' (the add-user form's first choice)."""
    return t("from_org") if role is None else t(f"role_{role}")


def detail_words(detail: str | None) -> str:
    """An audit line in the viewer's language when it is one of the product's fixed sentences."""
    if not detail:
        return ""
    for pattern, key in DETAILS:
        if match := pattern.match(detail):
            groups = [_binding(g) if key == "audit_detail_added" else (g or "") for g in match.groups()]
            words = t(key).format(*groups)
            return words + (
                t("audit_detail_locked").format(groups[1])
                if key.endswith("bad_password") and groups[1]
                else ""
            )
    return detail


def _binding(text: str | None) -> str:
    """'staff S00003, role analyst' → '工号 S00003，角色 分析员'."""
    if not text or text == "no staff, no role":
        return t("audit_detail_unbound")
    parts = [
        f"{t('staff_id')} {v}" if k == "staff" else f"{t('users_col_role')} {role_word(v)}"
        for k, v in BINDING.findall(text)
    ]
    return "，".join(parts) or text


def audit_table(rows: pd.DataFrame) -> pd.DataFrame:
    """审计日志: when, who, what (in words), the detail line, whether it succeeded."""
    frame = rows.reindex(columns=list(AUDIT_COLUMNS)).copy()
    frame["action"] = frame["action"].map(action_word)
    frame["detail"] = frame["detail"].map(detail_words)
    frame["at"] = frame["at"].map(_minute)
    frame["username"] = frame["username"].map(_actor)
    return _headed(_blank(frame), "audit_col_")


def action_word(action: str | None) -> str:
    """An audit action code in words; an unknown code is shown as recorded."""
    key = f"audit_action_{action}"
    return t(key) if t(key) != key else str(action or "")


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """导入记录: kinds and outcomes in words, times to the minute, blanks for what a load lacks."""
    frame = history.drop(columns=["batch_id"]).copy()
    frame["kind"] = frame["kind"].map(kind_word)
    frame["loaded_at"] = frame["loaded_at"].map(_minute)
    frame["loaded_by"] = frame["loaded_by"].map(_actor)
    frame["file_name"] = frame["file_name"].map(
        lambda name: t("history_file_demo") if name == "demo" else name
    )
    return _headed(_blank(_coded(frame, HISTORY_CODES)), "history_col_")


def kind_word(kind: str | None) -> str:
    """A load's kind as the loader names it (机构人员, 商机快照 …); 'all' is every kind (the demo)."""
    if kind in loader.KINDS:
        return loader.KINDS[kind].label
    return t("history_kind_all") if kind == "all" else str(kind or "")


def _actor(who: str | None) -> str:
    """Who acted: a username, or the demo generator (recorded as 'demo') in words."""
    return t("history_by_demo") if who == "demo" else (who or "")


def _minute(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)[:16]
