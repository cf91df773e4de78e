"""Labels of the user administration page (roles and what each sees: docs/roles.md)."""

LABELS = {
    "page_users": ("用户管理", "Users"),
    "users_title": ("用户管理", "User administration"),
    "users_list": ("用户列表", "Users"),
    "add_user": ("新增用户", "Add a user"),
    "staff_id": ("工号", "Staff id"),
    "role_override": ("角色（仅分析员/总监账户）", "Role (analyst/director accounts only)"),
    "from_org": ("按组织架构", "from the org data"),
    "new_password": ("初始密码（至少8位）", "Initial password (8 characters or more)"),
    "create": ("创建", "Create"),
    "user_created": ("已创建用户", "User created"),
    "manage_user": ("停用 / 启用 / 重置密码", "Disable / enable / reset password"),
    "choose_user": ("选择用户", "Choose a user"),
    "disable": ("停用", "Disable"),
    "enable": ("启用", "Enable"),
    "reset_password": ("重置密码", "Reset password"),
    "done": ("已完成", "Done"),
    "admin_only": ("仅营销总监可管理用户。", "Only directors manage users."),
}
