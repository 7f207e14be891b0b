#!/usr/bin/env bash
# The production path, end to end, as CI runs it: copies only the build and the package files into an empty
# folder owned by an unprivileged user, installs the runtime dependencies there with install-production.sh (the
# Dockerfile's own step), starts the built server as that user on a database in a volume-like folder, and checks
# that it answers, stores a comment, and stops cleanly on SIGTERM. Prints the time from start to the first 200.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/server/node.js ] || npm run build

user=parley-ci
id "$user" >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin "$user"
app=$(mktemp -d)
data=$(mktemp -d)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$app" "$data"
}
trap cleanup EXIT

cp -r dist package.json package-lock.json "$app/"
cp deploy/install-production.sh "$app/"
chown -R "$user" "$app" "$data"
# The npm settings this machine gives root (where to find Node's headers for the SQLite driver's build, and so on)
# apply to the unprivileged user too.
nodedir=$(npm config get nodedir 2>/dev/null || true)
as_user() {
  runuser -u "$user" -- env HOME="$(getent passwd "$user" | cut -d: -f6)" PATH="$PATH" \
    ${nodedir:+npm_config_nodedir="$nodedir"} "$@"
}

echo "check-production: installing runtime dependencies as $user in an empty folder"
as_user sh "$app/install-production.sh" "$app"
if [ -e "$app/node_modules/vite" ] || [ -e "$app/node_modules/tsx" ] || [ -e "$app/node_modules/vitest" ]; then
  echo "check-production: development packages were installed" >&2
  exit 1
fi

start=$(date +%s%N)
# setpriv executes the server in its own place (runuser would stay as its parent), so SIGTERM reaches it directly.
(cd "$app" && exec setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
  env HOME="$data" PORT="$port" HOST=127.0.0.1 DATABASE_URL="file:$data/parley.db" node dist/server/node.js) &
pid=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "check-production: the server exited" >&2; exit 1; }
  sleep 0.05
done
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
curl -sf "http://127.0.0.1:$port/api/health" >/dev/null
echo "check-production: first 200 from /api/health ${ready_ms} ms after start"

status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/comments" \
  -H 'Content-Type: application/json' -d '{"url":"https://blog.example.com/p/","body":"From the built server."}')
[ "$status" = 201 ] || { echo "check-production: posting answered $status" >&2; exit 1; }
encoding=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: br' "http://127.0.0.1:$port/embed.js" |
  tr -d '\r' | awk -F': ' 'tolower($1)=="content-encoding"{print $2}')
[ "$encoding" = br ] || { echo "check-production: embed.js was not sent as brotli" >&2; exit 1; }
[ "$(stat -c %U "$data/parley.db")" = "$user" ] || { echo "check-production: database not owned by $user" >&2; exit 1; }

kill -TERM "$pid"
wait "$pid" && code=0 || code=$?
pid=
[ "$code" = 0 ] || { echo "check-production: the server exited with $code after SIGTERM" >&2; exit 1; }
echo "check-production: passed"
