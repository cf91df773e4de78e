"""Print the settings table for README.md (run after adding a setting)."""

from analytics.settings import describe

print("| setting | default | meaning |")
print("| --- | --- | --- |")
for item in describe():
    default = ", ".join(item["default"]) if isinstance(item["default"], list) else item["default"]
    print(f"| `{item['name']}` | `{default}` | {item['help']} |")
