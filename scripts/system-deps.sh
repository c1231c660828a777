#!/usr/bin/env bash
# System packages the project needs beyond PyPI (installed only when missing, only where we may).
set -u
need=()
# A CJK font so report charts render Chinese labels (matplotlib finds it via fontconfig paths).
if ! ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1; then need+=(fonts-wqy-microhei); fi
# Debian's chromium for the web console's browser tests (Playwright drives it; no `playwright install`).
if ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || echo "warning: could not install ${need[*]} (charts fall back to the bundled font search; browser tests skip)" >&2
else
  echo "note: please install ${need[*]} (a CJK font for report charts; chromium for the browser tests)" >&2
fi
exit 0
