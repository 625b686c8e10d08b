#!/usr/bin/env bash
# Installs the opencar package into a folder and/or starts it there: what the packed-install test,
# the Dockerfile and a manual installation all run.
#   install-and-start.sh install <package> <dir>   npm install <package> (a .tgz from npm pack, or a registry spec) into <dir>
#   install-and-start.sh start <dir>               run `npx opencar start` in <dir> (reads <dir>/.env)
#   install-and-start.sh <package> <dir>           both
set -euo pipefail

install() {
  local pkg="$1" dir="$2"
  mkdir -p "$dir"
  cd "$dir"
  # Overrides and allowScripts of opencar's own package.json apply only in the project that
  # installs it: the same ones keep Node 20 free of engine warnings here and let better-sqlite3
  # build its native module (the packed-install test checks both).
  [ -f package.json ] || cat > package.json <<'JSON'
{
  "name": "opencar-installation",
  "private": true,
  "overrides": { "cookie": "^1.1.1", "pino-pretty": { "strip-json-comments": "5.0.3" } },
  "allowScripts": { "better-sqlite3": true, "esbuild": true }
}
JSON
  # JOBS: node-gyp compiles better-sqlite3 on every core when no prebuilt binary is available.
  JOBS="${JOBS:-max}" npm install --no-audit --no-fund --omit=dev --prefer-offline "$pkg"
}

start() {
  cd "$1"
  exec npx --no-install opencar start
}

case "${1:-}" in
  install) install "$2" "$3" ;;
  start) start "$2" ;;
  ""|-h|--help) sed -n '2,7p' "$0"; exit 2 ;;
  *) (install "$1" "$2"); start "$2" ;;
esac
