#!/usr/bin/env bash
# Install nocert the way a user does and check it answers in Chinese: build the wheel, install it (with the
# locked versions) into a fresh virtualenv outside the checkout, run a few CLI commands from there.
# Usage: scripts/wheel_smoke.sh [python]   (make test runs it; an editable install would hide packaging bugs)
set -euo pipefail
PYTHON=${1:-python3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$ROOT/build"' EXIT

fail() { echo "wheel smoke test FAILED: $*" >&2; exit 1; }
quiet() { "$@" >"$WORK/step.log" 2>&1 || { cat "$WORK/step.log" >&2; fail "$*"; }; }

echo "wheel smoke: building the wheel"
quiet "$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$ROOT"
WHEEL=$(ls "$WORK"/dist/nocert-*.whl)
"$PYTHON" - "$WHEEL" <<'PY' || fail "no Chinese catalogue in $WHEEL"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(not any(n.startswith("nocert_core/locales/zh_Hans/LC_MESSAGES/") and n.endswith(".po") for n in names))
PY

echo "wheel smoke: installing it into a fresh virtualenv"
quiet "$PYTHON" -m venv "$WORK/venv"
quiet "$WORK/venv/bin/pip" install --quiet --upgrade pip
quiet "$WORK/venv/bin/pip" install --quiet -c "$ROOT/constraints.txt" "$WHEEL"

cd "$WORK"  # nothing of the checkout on the path; no .env picked up
unset NOCERT_LOCALES_DIR PYTHONPATH
export NOCERT_DATABASE_URL="sqlite+aiosqlite:///$WORK/smoke.db" NOCERT_LOCALE=zh_Hans NOCERT_REDIS_URL=
NOCERT="$WORK/venv/bin/nocert"
"$WORK/venv/bin/python" -c 'import nocert_core, sys; sys.exit("site-packages" not in nocert_core.__file__)' \
    || fail "nocert_core was not imported from the installed wheel"

help=$("$NOCERT" --help) || fail "nocert --help"
grep -q "无证明城市的投诉" <<<"$help" || fail "the help is not in Chinese: $help"
"$NOCERT" init --demo >/dev/null || fail "nocert init --demo"
chat=$(printf '/start\n' | "$NOCERT" chat) || fail "nocert chat"
grep -q "无证明城市" <<<"$chat" || fail "the chat's welcome is not in Chinese: $chat"
grep -q "我的投诉" <<<"$chat" || fail "the chat's menu is not in Chinese: $chat"
answer=$("$NOCERT" ask "办理居住证需要开什么证明") || fail "nocert ask"
grep -q "不用交" <<<"$answer" || fail "the guidance answer is not in Chinese: $answer"
listing=$("$NOCERT" complaints list) || fail "nocert complaints list"
grep -q "已受理，办理中" <<<"$listing" || fail "the complaint states are not in Chinese: $listing"
echo "wheel smoke: OK (the installed wheel answers in Chinese)"
