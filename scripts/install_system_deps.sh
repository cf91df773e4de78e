#!/usr/bin/env bash
# Install, through apt and only where missing, what the test suite needs from
# the system: Debian's chromium (browser tests), fonts-noto-cjk (Chinese in
# exported charts and screenshots), fonts-wqy-zenhei + poppler-utils (the meeting pack's PDF) and postgresql (the shared-backend tests).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
# The meeting pack's PDF embeds a TrueType-outline CJK font (Noto CJK is CFF, not embeddable
# by ReportLab); pdftoppm/pdffonts check the PDF in the tests.
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
