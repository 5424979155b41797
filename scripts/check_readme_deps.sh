#!/usr/bin/env bash
# Resolves README's [dependencies] block (swf-signal taken from this checkout) and fails if
# it brings a second HTTP stack: hyper 0.14, rustls 0.21 or h2 0.3 beside the SDK's own.
# Resolution only (cargo tree), no build. Usage: scripts/check_readme_deps.sh [EXTRA-DEP-LINE]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
block="$(sed -n '/^```toml$/,/^```$/p' README.md | sed '1d;$d')"
[ -n "$block" ] || { echo "error: README.md has no \`\`\`toml [dependencies] block" >&2; exit 1; }
grep -q '^swf-signal = ' <<<"$block" || { echo "error: README's [dependencies] block has no swf-signal line" >&2; exit 1; }
{
    printf '[package]\nname = "readme-deps"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n'
    sed "s|^swf-signal = .*|swf-signal = { path = \"$ROOT/swf-signal\" }|" <<<"$block"
    if [ $# -gt 0 ]; then echo "$1"; fi
} >"$dir/Cargo.toml"
mkdir -p "$dir/src" && echo 'fn main() {}' >"$dir/src/main.rs"
cp Cargo.lock "$dir/Cargo.lock"   # the versions this checkout is tested with, where they fit
tree="$(cargo tree --quiet --manifest-path "$dir/Cargo.toml" -e normal --prefix none)"
grep -qE '^hyper v1\.' <<<"$tree" || { echo "error: README's dependencies resolve to no hyper 1.x; the check below would prove nothing" >&2; exit 1; }
if second="$(grep -E '^(hyper v0\.14|rustls v0\.21|h2 v0\.3)\.' <<<"$tree" | sort -u)"; then
    echo "error: README's [dependencies] block brings a second HTTP stack:" >&2
    echo "$second" >&2
    exit 1
fi
echo "README's [dependencies] resolve to one HTTP stack"
