#!/usr/bin/env bash
# Smoke test of the single compiled binary against a real PostgreSQL server.
# Usage: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash scripts/smoke-compiled-binary.sh
# Creates (and always drops) a database with a random name on that server; needs bun and curl.
set -euo pipefail

: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL to a PostgreSQL URL whose user may CREATE DATABASE}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/dist/saas-server"
command -v curl >/dev/null || { echo "FAIL prerequisites: curl is required"; exit 1; }

random() { bun -e "console.log(require('node:crypto').randomBytes($1).toString('base64url'))"; }

DB_NAME="smoke_$(bun -e "console.log(require('node:crypto').randomBytes(6).toString('hex'))")"
# Same server and credentials, other database.
APP_DB_URL="$(DB_NAME="$DB_NAME" bun -e '
  const u = new URL(process.env.TEST_DATABASE_URL); u.pathname = "/" + process.env.DB_NAME; console.log(u.href)')"
JWT_SECRET="$(random 36)" # 36 bytes -> 48 base64url chars
ADMIN_PASSWORD="$(random 18)"
WORKDIR="$(mktemp -d)"
LOG="$WORKDIR.log"
SERVER_PID=""
DB_CREATED=0
FAILED=0

# Runs one SQL statement on the admin connection (TEST_DATABASE_URL itself).
admin_sql() {
  if command -v psql >/dev/null; then
    psql "$TEST_DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null
  else
    (cd "$ROOT" && SQL="$1" bun -e '
      import postgres from "postgres";
      const sql = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      try { await sql.unsafe(process.env.SQL); } finally { await sql.end(); }')
  fi
}

cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if ((DB_CREATED)); then
    admin_sql "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" || echo "WARN could not drop database $DB_NAME"
  fi
  if ((rc != 0 || FAILED)) && [[ -s "$LOG" ]]; then
    echo "--- output of the failed step (last 30 lines) ---"
    tail -n 30 "$LOG"
  fi
  rm -rf "$WORKDIR" "$LOG"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; FAILED=1; exit 1; }

# The binary gets only what it needs: nothing from the caller's environment leaks in. Call it only in
# a subshell ($(...) or &): it cds and execs, so with & the pid in $! is the server's own.
run_binary() { cd "$WORKDIR" && exec env -i PATH="$PATH" HOME="$WORKDIR" "$@" "$BIN"; }
# The container's HEALTHCHECK: `saas-server healthcheck` with HOST and PORT only; prints one line.
healthcheck_binary() { cd "$WORKDIR" && exec env -i PATH="$PATH" HOME="$WORKDIR" HOST=127.0.0.1 PORT="$PORT" "$BIN" healthcheck; }
# What production requires besides the database and secrets: the links' URLs and a mail driver.
DEPLOYED=(PUBLIC_URL=http://127.0.0.1 APP_URL=http://127.0.0.1:3000 MAIL_DRIVER=outbox)

# 1. Build.
(cd "$ROOT" && bun run build) >"$LOG" 2>&1 || fail "build: bun run build"
[[ -x "$BIN" ]] || fail "build: $BIN missing"
pass "build: $BIN ($(du -h "$BIN" | cut -f1))"
: >"$LOG"

# 2. Without DATABASE_URL the binary must refuse, with one clear line.
set +e
out="$(run_binary NODE_ENV=production "${DEPLOYED[@]}" JWT_SECRET="$JWT_SECRET" ADMIN_PASSWORD="$ADMIN_PASSWORD" 2>&1 </dev/null)"
rc=$?
set -e
if ((rc != 0)) && [[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]] &&
  grep -q "compiled binary cannot run the embedded PGlite database" <<<"$out"; then
  pass "no DATABASE_URL: exit $rc, \"$out\""
else
  printf '%s\n' "$out" >"$LOG"
  fail "no DATABASE_URL: expected a non-zero exit and one PGlite line, got exit $rc"
fi

# 3. Fresh database, free port, start.
admin_sql "CREATE DATABASE \"$DB_NAME\"" || fail "database: cannot create $DB_NAME through TEST_DATABASE_URL"
DB_CREATED=1
pass "database: created $DB_NAME"

PORT="$(bun -e 'const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }); console.log(s.port); s.stop(true)')"
BASE="http://127.0.0.1:$PORT"
run_binary DATABASE_URL="$APP_DB_URL" HOST=127.0.0.1 PORT="$PORT" NODE_ENV=production "${DEPLOYED[@]}" JWT_SECRET="$JWT_SECRET" \
  ADMIN_PASSWORD="$ADMIN_PASSWORD" BCRYPT_COST=4 >"$LOG" 2>&1 </dev/null &
SERVER_PID=$!

ready=0
for _ in $(seq 1 60); do # 60 x 0.5 s = 30 s
  kill -0 "$SERVER_PID" 2>/dev/null || fail "ready: the server exited during start-up"
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/health/ready")" == 200 ]]; then
    ready=1
    break
  fi
  sleep 0.5
done
((ready)) || fail "ready: GET /health/ready did not answer 200 within 30 s"
pass "ready: GET /health/ready 200 (migrations applied from the binary, cwd $WORKDIR)"

out="$(healthcheck_binary 2>&1)" || fail "healthcheck: exit $? while ready: $out"
[[ "$out" == "ready: "* && "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]] || fail "healthcheck: expected one ready line, got: $out"
pass "healthcheck: exit 0, \"$out\""

# 4. Log in as the seeded admin, then read /me with the token.
body="$(curl -s --max-time 10 -w '\n%{http_code}' -H 'content-type: application/json' \
  -d "{\"email\":\"admin@example.com\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/v1/auth/login")"
code="${body##*$'\n'}"
token="$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' <<<"${body%$'\n'*}")"
[[ "$code" == 200 && -n "$token" ]] || fail "login: expected 200 with accessToken, got $code"
pass "login: POST /api/v1/auth/login 200 with accessToken"

code="$(curl -s -o "$WORKDIR/me.json" -w '%{http_code}' --max-time 10 -H "authorization: Bearer $token" "$BASE/api/v1/users/me")"
if [[ "$code" != 200 ]] || ! grep -q 'admin@example.com' "$WORKDIR/me.json"; then
  fail "me: expected 200 with the admin, got $code"
fi
pass "me: GET /api/v1/users/me 200"

# 5. The documentation page and its assets come from the binary itself (embedded, no CDN).
code="$(curl -s -o "$WORKDIR/docs.html" -w '%{http_code}' --max-time 10 "$BASE/docs")"
[[ "$code" == 200 ]] && grep -q 'id="swagger-ui"' "$WORKDIR/docs.html" || fail "docs: expected 200 with the Swagger UI page, got $code"
assets="$(grep -Eo '/docs/assets/[^"]+' "$WORKDIR/docs.html" || true)"
[[ "$(wc -l <<<"$assets")" -eq 3 ]] || fail "docs: expected 3 assets on the page, found: $assets"
for asset in $assets; do
  meta="$(curl -s -o "$WORKDIR/asset" -w '%{http_code} %{size_download} %{content_type}' --max-time 10 "$BASE$asset")"
  read -r code size type <<<"$meta"
  [[ "$code" == 200 && "$type" == text/* && "$size" -gt 0 ]] || fail "docs: $asset answered $meta"
  if [[ "$asset" == */swagger-ui-bundle.*.js ]]; then
    cmp -s "$WORKDIR/asset" "$ROOT/node_modules/swagger-ui-dist/swagger-ui-bundle.js" ||
      fail "docs: $asset differs from swagger-ui-dist's swagger-ui-bundle.js"
  fi
done
pass "docs: GET /docs 200 and its 3 assets from the binary"

# 6. Graceful stop: SIGTERM, exit 0 within 15 s.
kill -TERM "$SERVER_PID"
for _ in $(seq 1 30); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
kill -0 "$SERVER_PID" 2>/dev/null && fail "shutdown: still running 15 s after SIGTERM"
set +e
wait "$SERVER_PID"
rc=$?
set -e
SERVER_PID=""
((rc == 0)) || fail "shutdown: exit code $rc after SIGTERM, expected 0"
pass "shutdown: SIGTERM -> exit 0"

set +e
out="$(healthcheck_binary 2>&1)"
rc=$?
set -e
((rc == 1)) && [[ "$out" == "not ready: "* ]] || fail "healthcheck: expected exit 1 and one not-ready line once stopped, got exit $rc: $out"
pass "healthcheck: exit 1 once stopped, \"$out\""
echo "PASS smoke-compiled-binary"
