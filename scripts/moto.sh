# Sourced by scripts/test and scripts/demo: installs a pinned moto into ./.venv and runs
# its SWF server on a free loopback port. Nothing here is skipped quietly: a missing
# tool stops the script with what to install.

MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

die() {
    echo "error: $*" >&2
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is required but not found; $2"
}

moto_install() {
    need python3 "install Python 3.9 or newer (Debian: apt-get install python3 python3-venv)"
    if [ ! -x "$VENV/bin/moto_server" ] || ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
        echo "==> installing moto[server]==$MOTO_VERSION into $VENV"
        python3 -m venv "$VENV" || die "python3 -m venv failed; install the venv module (Debian: apt-get install python3-venv)"
        "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || die "pip is missing from the virtual environment; install python3-pip"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
            || die "pip could not install moto[server]==$MOTO_VERSION"
    fi
    [ -x "$VENV/bin/moto_server" ] || die "moto_server not found in $VENV/bin after installing moto"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts moto on a free port, exports the SDK's standard variables, and registers a
# trap that stops it by PID on every exit path.
moto_start() {
    moto_install
    MOTO_PORT="$(free_port)"
    MOTO_LOG="${MOTO_LOG:-$ROOT/target/moto-$MOTO_PORT.log}"
    mkdir -p "$(dirname "$MOTO_LOG")"
    "$VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" >"$MOTO_LOG" 2>&1 &
    MOTO_PID=$!
    trap moto_stop EXIT
    trap 'exit 130' INT TERM
    local url="http://127.0.0.1:$MOTO_PORT"
    for _ in $(seq 1 100); do
        if "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('$url/moto-api/', timeout=1)" 2>/dev/null; then
            break
        fi
        kill -0 "$MOTO_PID" 2>/dev/null || die "moto_server exited at start; see $MOTO_LOG"
        sleep 0.1
    done
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('$url/moto-api/', timeout=1)" 2>/dev/null \
        || die "moto_server did not answer on $url within 10 s; see $MOTO_LOG"
    export AWS_ENDPOINT_URL_SWF="$url"
    export MOTO_URL="$url"
    export MOTO_SERVER_BIN="$VENV/bin/moto_server"
    export AWS_REGION="${AWS_REGION:-us-east-1}"
    export AWS_ACCESS_KEY_ID="testing"
    export AWS_SECRET_ACCESS_KEY="testing"
    unset AWS_PROFILE AWS_SESSION_TOKEN
    echo "==> moto $MOTO_VERSION serving SWF at $url (pid $MOTO_PID)"
}

moto_stop() {
    if [ -n "${MOTO_PID:-}" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
        kill "$MOTO_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$MOTO_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
        echo "==> moto stopped (pid $MOTO_PID)"
    fi
    MOTO_PID=""
}
