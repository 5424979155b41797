# Sourced by scripts/test, scripts/demo, scripts/bench and scripts/swf-server: installs a
# pinned moto (and the test tools) into ./.venv and runs scripts/swf-server on a free
# loopback port. Nothing here is skipped quietly: a missing tool stops the script with
# what to install.

MOTO_VERSION="5.2.5"
PYTEST_VERSION="8.3.3"
# The HTTP server under moto's app: keeps connections alive as SWF's endpoints do
# (werkzeug's development server closes each one; see scripts/swf_server/__main__.py).
WAITRESS_VERSION="3.0.2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

die() {
    echo "error: $*" >&2
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is required but not found; $2"
}

venv_ready() {
    [ -x "$VENV/bin/python" ] || return 1
    "$VENV/bin/python" - "$MOTO_VERSION" "$PYTEST_VERSION" "$WAITRESS_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(
    version("moto") != sys.argv[1]
    or version("pytest") != sys.argv[2]
    or version("waitress") != sys.argv[3]
)
PY
}

# moto[server] and waitress for scripts/swf-server, pytest for its own tests; all pinned.
moto_install() {
    need python3 "install Python 3.9 or newer (Debian: apt-get install python3 python3-venv)"
    if ! venv_ready; then
        echo "==> installing moto[server]==$MOTO_VERSION, waitress==$WAITRESS_VERSION and pytest==$PYTEST_VERSION into $VENV" >&2
        python3 -m venv "$VENV" || die "python3 -m venv failed; install the venv module (Debian: apt-get install python3-venv)"
        "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || die "pip is missing from the virtual environment; install python3-pip"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            "moto[server]==$MOTO_VERSION" "waitress==$WAITRESS_VERSION" "pytest==$PYTEST_VERSION" \
            || die "pip could not install moto[server]==$MOTO_VERSION, waitress==$WAITRESS_VERSION and pytest==$PYTEST_VERSION"
        venv_ready || die "moto $MOTO_VERSION / waitress $WAITRESS_VERSION / pytest $PYTEST_VERSION not importable from $VENV after installing"
    fi
}

# Starts scripts/swf-server on a free port, exports the SDK's standard variables, and
# registers a trap that stops it by PID on every exit path. Polls are held
# SWF_SERVER_POLL_SECONDS (2 here unless set: a worker's graceful shutdown waits for its
# polls in flight, which on SWF take up to 60 s).
server_start() {
    moto_install
    export SWF_SERVER_POLL_SECONDS="${SWF_SERVER_POLL_SECONDS:-2}"
    SERVER_LOG="${SERVER_LOG:-$ROOT/target/swf-server.log}"
    mkdir -p "$(dirname "$SERVER_LOG")"
    "$ROOT/scripts/swf-server" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    trap server_stop EXIT
    trap 'exit 130' INT TERM
    local url=""
    for _ in $(seq 1 300); do
        url="$(sed -n 's/^listening on //p' "$SERVER_LOG" | head -n1)"
        [ -n "$url" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "scripts/swf-server exited at start; see $SERVER_LOG"
        sleep 0.1
    done
    [ -n "$url" ] || die "scripts/swf-server did not answer within 30 s; see $SERVER_LOG"
    export AWS_ENDPOINT_URL_SWF="$url"
    export SWF_SERVER_URL="$url"
    export SWF_SERVER_BIN="$ROOT/scripts/swf-server"
    export AWS_REGION="${AWS_REGION:-us-east-1}"
    export AWS_ACCESS_KEY_ID="testing"
    export AWS_SECRET_ACCESS_KEY="testing"
    unset AWS_PROFILE AWS_SESSION_TOKEN
    echo "==> swf-server (moto $MOTO_VERSION + scripts/swf_server) at $url (pid $SERVER_PID)"
}

server_stop() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        echo "==> swf-server stopped (pid $SERVER_PID)"
    fi
    SERVER_PID=""
}
