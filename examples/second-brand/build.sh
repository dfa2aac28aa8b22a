#!/usr/bin/env bash
# Builds the second brand of docs/theming.md: the sample paths, channels and
# links of ../../content under Järvialue's site.toml, logo and colours, with
# its footer template overriding the theme's. Usage: build.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/target/second-brand-public}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/content" "$work/content"
cp -r "$here/content/." "$work/content/"
cp -r "$here/templates" "$work/templates"
cd "$root"
cargo run --quiet --release -- build --content "$work/content" --out "$out"
