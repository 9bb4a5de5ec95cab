#!/usr/bin/env bash
# The analyst's first hour, as README "Setting up your district" walks it, checked step by step on
# a fresh database: offices from a CSV, a folder of reports (--create-offices for the rest), a
# comparison over GraphQL, the assessment workbook with an analyst token. Run by CI on SQLite and
# on MariaDB:   bash scripts/first-hour.sh sqlite|mariadb
# Needs the build (npm ci runs it) and curl; MariaDB at MYSQL_TEST_URL for the mariadb run.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND="${1:-sqlite}"
CLI=(node bin/disclosure-graph.js)
WORK="$(mktemp -d)"
SERVER_PID=""
DB_NAME=""
MYSQL_URL="${MYSQL_TEST_URL:-mysql://root@127.0.0.1:3306/test}"

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$DB_NAME" ]; then mariadb -h127.0.0.1 -P3306 -uroot -e "DROP DATABASE IF EXISTS \`$DB_NAME\`" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "first hour [$KIND]: FAILED: $*" >&2; exit 1; }
step() { echo "== first hour [$KIND]: $*"; }

case "$KIND" in
  sqlite) export DATABASE_URL="sqlite:$WORK/district.sqlite" ;;
  mariadb)
    DB_NAME="dg_firsthour_$$"
    mariadb -h127.0.0.1 -P3306 -uroot -e "CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    export DATABASE_URL="${MYSQL_URL%/*}/$DB_NAME" ;;
  *) fail "usage: first-hour.sh sqlite|mariadb" ;;
esac
export LOAD_SAMPLE=0 LOG_LEVEL=warn

step "1. offices from a CSV"
cat > "$WORK/offices.csv" <<'CSV'
code,name,parentCode,kind,aliases
demo-district,示例区人民政府,,government,示例区
demo-district-dawuli,大五里镇,demo-district,town,大五里镇人民政府
demo-district-jingyuan,鲸园街道办事处,demo-district,sub_district,鲸园街道
CSV
"${CLI[@]}" offices import "$WORK/offices.csv" | tee "$WORK/offices.out"
grep -q "created 3, updated 0, unchanged 0" "$WORK/offices.out" || fail "offices import did not create 3 offices"
"${CLI[@]}" offices import "$WORK/offices.csv" | grep -q "created 0, updated 0, unchanged 3" || fail "a second offices import was not idempotent"

step "2. last year's reports, creating the offices the CSV does not list"
mkdir -p "$WORK/reports"
cp tests/fixtures/corpus/2020_dawuli-zhen.txt tests/fixtures/corpus/2020_weihai-huancui-jingyuan.txt \
   tests/fixtures/corpus/2020_liyuan-jiedao.txt tests/fixtures/corpus/2020_zhongcun-xiang.txt "$WORK/reports/"
"${CLI[@]}" import "$WORK/reports" --create-offices --under demo-district --json > "$WORK/import.json" 2> "$WORK/import.err" || fail "import exited non-zero: $(cat "$WORK/import.err")"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const bad = r.files.filter((f) => f.outcome !== "IMPORTED");
  if (r.files.length !== 4 || bad.length) { console.error(JSON.stringify(r.summary), bad.map((f) => f.file + ": " + (f.problem && f.problem.message))); process.exit(1); }
  const offices = r.files.map((f) => f.office.code).sort();
  if (!offices.includes("demo-district-dawuli") || !offices.includes("demo-district-jingyuan")) { console.error("reports did not land on the CSV offices:", offices); process.exit(1); }
' "$WORK/import.json" || fail "the reports were not all imported onto the right offices"
"${CLI[@]}" offices list --under demo-district | tee "$WORK/tree.out"
[ "$(grep -c '^  ' "$WORK/tree.out")" -eq 4 ] || fail "expected 4 offices under the district (2 from the CSV, 2 created)"

step "3. a comparison over GraphQL"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
PORT="$PORT" HOST=127.0.0.1 node dist/src/server/main.js > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || fail "the server did not become ready: $(cat "$WORK/server.log")"
curl -fsS "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ compareOffices(under: \"demo-district\", year: 2020, metrics: [\"applications.received.total\"]) { rows { totalCount edges { node { office { code } values { value rank } } } } } }"}' > "$WORK/compare.json"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (r.errors) { console.error(JSON.stringify(r.errors)); process.exit(1); }
  const rows = r.data.compareOffices.rows;
  if (rows.totalCount !== 4) { console.error("expected 4 offices compared, got", rows.totalCount); process.exit(1); }
  if (!rows.edges.some((e) => e.node.values[0].value !== null)) { console.error("no value compared"); process.exit(1); }
' "$WORK/compare.json" || fail "compareOffices did not compare the district's offices"

step "4. the assessment workbook: refused without a token, downloaded with one"
STATUS="$(curl -s -o "$WORK/refused.json" -w '%{http_code}' "http://127.0.0.1:$PORT/exports/assessment.xlsx?under=demo-district&year=2020")"
[ "$STATUS" = 401 ] || fail "a download without a token answered $STATUS, not 401"
TOKEN="$("${CLI[@]}" token create --name first-hour --role analyst | sed -n 's/.*secret (store it now; it is not kept): \(dg_[^ ]*\).*/\1/p')"
[ -n "$TOKEN" ] || fail "token create printed no secret"
curl -fsS -H "Authorization: Bearer $TOKEN" -o "$WORK/assessment.xlsx" "http://127.0.0.1:$PORT/exports/assessment.xlsx?under=demo-district&year=2020" || fail "the workbook download failed"
node -e '
  const ExcelJS = require("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.xlsx.readFile(process.argv[1]).then(() => {
    const sheet = wb.getWorksheet("汇总");
    const codes = [];
    sheet.eachRow((row, n) => { if (n > 5) codes.push(row.getCell(2).value); });
    if (codes.length !== 4 || !codes.includes("demo-district-jingyuan")) { console.error("summary rows:", codes); process.exit(1); }
  }).catch((e) => { console.error(e.message); process.exit(1); });
' "$WORK/assessment.xlsx" || fail "the workbook does not hold the district's 4 offices"

echo "first hour [$KIND]: every step passed"
