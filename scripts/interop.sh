# Sourced by scripts/test and scripts/regen-interop-fixtures (after scripts/server.sh): the
# peers the wire formats are proven against, pinned. simpleflow and botoflow go into
# ./.venv next to moto (they share its boto3); Jackson comes from Debian, configured in
# interop/flow-java exactly as Flow-Java's JsonDataConverter. A missing peer stops the
# script with what to install; nothing is skipped.

SIMPLEFLOW_VERSION="0.36.0"
BOTOFLOW_VERSION="0.8"
JACKSON_JARS="/usr/share/java/jackson-databind.jar /usr/share/java/jackson-core.jar /usr/share/java/jackson-annotations.jar"

peers_ready() {
    "$VENV/bin/python" - "$SIMPLEFLOW_VERSION" "$BOTOFLOW_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(version("simpleflow") != sys.argv[1] or version("botoflow") != sys.argv[2])
PY
}

# simpleflow and botoflow from PyPI into ./.venv.
python_peers_install() {
    moto_install
    if ! peers_ready; then
        echo "==> installing simpleflow==$SIMPLEFLOW_VERSION and botoflow==$BOTOFLOW_VERSION into $VENV" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            "simpleflow==$SIMPLEFLOW_VERSION" "botoflow==$BOTOFLOW_VERSION" \
            || die "pip could not install simpleflow==$SIMPLEFLOW_VERSION and botoflow==$BOTOFLOW_VERSION"
        peers_ready || die "simpleflow $SIMPLEFLOW_VERSION / botoflow $BOTOFLOW_VERSION not importable from $VENV after installing"
        # moto must still be the pinned one: the peers share its boto3.
        venv_ready || die "installing the peers changed moto or pytest in $VENV"
    fi
}

# Jackson (Debian's libjackson2-databind-java) and the JDK that runs it.
jackson_install() {
    need javac "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)"
    need java "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)"
    local missing=""
    for jar in $JACKSON_JARS; do
        [ -f "$jar" ] || missing="$jar"
    done
    [ -z "$missing" ] && return 0
    echo "==> installing libjackson2-databind-java ($missing is missing)" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "$missing is missing and this user cannot run apt-get; install libjackson2-databind-java"
        sudo="sudo -n"
    fi
    $sudo apt-get update -q >&2 || die "apt-get update failed; install libjackson2-databind-java"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends libjackson2-databind-java >&2 \
        || die "apt-get could not install libjackson2-databind-java"
    for jar in $JACKSON_JARS; do
        [ -f "$jar" ] || die "$jar is still missing after installing libjackson2-databind-java"
    done
}

# The one place the jars are named: the Flow-Java test and the fixture script read this.
interop_install() {
    python_peers_install
    jackson_install
    SWF_SIGNAL_JACKSON_CP="$(echo $JACKSON_JARS | tr ' ' ':')"
    export SWF_SIGNAL_JACKSON_CP
}

# The generated senders' tools: json-schema-to-typescript, @aws-sdk/client-swf and
# typescript (pinned in interop/typescript/package-lock.json, into its node_modules) and
# datamodel-code-generator (pinned, into ./.venv).
DATAMODEL_CODEGEN_VERSION="0.97.0"

senders_install() {
    need node "install Node.js 20 (https://nodejs.org)"
    need npm "install npm (it comes with Node.js)"
    moto_install
    local ts="$ROOT/interop/typescript"
    if ! (cd "$ts" && npm ls --silent >/dev/null 2>&1); then
        echo "==> installing the TypeScript generator and SDK into interop/typescript/node_modules (npm ci)" >&2
        (cd "$ts" && npm ci --no-audit --no-fund --silent) || die "npm ci failed in interop/typescript"
    fi
    if ! "$VENV/bin/python" -c "from importlib.metadata import version; import sys; sys.exit(version('datamodel-code-generator') != '$DATAMODEL_CODEGEN_VERSION')" 2>/dev/null; then
        echo "==> installing datamodel-code-generator==$DATAMODEL_CODEGEN_VERSION into $VENV" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            "datamodel-code-generator==$DATAMODEL_CODEGEN_VERSION" \
            || die "pip could not install datamodel-code-generator==$DATAMODEL_CODEGEN_VERSION"
        venv_ready || die "installing datamodel-code-generator changed moto or pytest in $VENV"
    fi
}

# The AWS Flow Framework for Java itself (interop/flow-framework): built with Maven from
# Maven Central (pinned in its pom.xml; downloads into ~/.m2), its classpath exported for
# tests/tests/flow_framework.rs.
flow_framework_install() {
    need java "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)"
    need mvn "install Maven (Debian: apt-get install maven)"
    local dir="$ROOT/interop/flow-framework"
    echo "==> building interop/flow-framework (the Flow Framework 2.0.0 from Maven Central)" >&2
    (cd "$dir" && mvn -q -B package -DskipTests) >&2 || die "mvn package failed in interop/flow-framework"
    [ -s "$dir/target/classpath.txt" ] || die "interop/flow-framework/target/classpath.txt is missing after mvn package"
    SWF_SIGNAL_FLOW_CP="$dir/target/classes:$(cat "$dir/target/classpath.txt")"
    export SWF_SIGNAL_FLOW_CP
}
