#!/usr/bin/env sh
# Installs what the built server needs to run, in the folder that holds dist/, package.json and package-lock.json:
# the runtime dependencies only, no compiler of TypeScript, no test tools. The Dockerfile runs this script, and CI
# runs it as an unprivileged user in an empty folder (deploy/check-production.sh), so both take the same steps.
set -eu
cd "${1:-.}"
for needed in dist/server/node.js dist/embed.js package.json package-lock.json; do
  [ -e "$needed" ] || { echo "install-production: $needed is missing; run npm run build first" >&2; exit 1; }
done
npm install --omit=dev --no-audit --no-fund
node -e "require('better-sqlite3')(':memory:').close()" || {
  echo "install-production: the SQLite driver did not build (it needs python3, make and a C++ compiler)" >&2
  exit 1
}
echo "install-production: ready; start with: node dist/server/node.js"
