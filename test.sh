#!/usr/bin/env bash
# The whole test suite on a fresh machine with the .NET 10 SDK: installs and starts what the tests need, runs them
# twice, on SQLite and on PostgreSQL, and ends with a plain "N passed, N failed" line (both passes together), after
# a line with each engine's counts.
# - SQLite ships with the app.
# - PostgreSQL 15 comes from Debian's packages (postgresql-15, installed here when missing): tests/postgres.sh starts
#   a throwaway cluster in a temporary folder on 127.0.0.1 (a free port), and it is stopped and deleted on exit.
#   The second pass runs every test that touches the app's database. Tests marked [Trait("Engine", "none")] (pure
#   functions, no database) or [Trait("Engine", "sqlite")] (the CLI on a bare --data folder, a SQLite file whatever
#   the suite's engine) run once, in the SQLite pass: a second pass would run exactly the same thing again.
# - smtp4dev, the SMTP server the mail tests read back from, is a dotnet tool installed here into .tools; the tests
#   start it themselves on free loopback ports with an in-memory store (tests/DailyPapers.Tests/Smtp4dev.cs).
# - The browser tests drive Debian's /usr/bin/chromium through Playwright (never a browser Playwright downloads), and
#   the thumbnail tests call pdftoppm, the two-instance tests put Debian's nginx in front of the app: all come from
#   apt, installed here when missing (as root, or with sudo). The tests run nginx themselves, in a temporary prefix.
# Screenshots and the accessibility summary the browser tests write go to $TEST_ARTIFACTS/browser (default artifacts/),
# and each pass's results to $TEST_ARTIFACTS/sqlite.trx and postgres.trx.
set -uo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"; } >/dev/null; then
    echo "could not install ${missing[*]} with apt-get (run as root, or with sudo): the browser, thumbnail, two-instance and PostgreSQL tests need them"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

export TEST_ARTIFACTS="${TEST_ARTIFACTS:-$PWD/artifacts}"

if [ ! -x .tools/smtp4dev ]; then
  dotnet tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path .tools >/dev/null || { echo "could not install smtp4dev"; echo "0 passed, 1 failed"; exit 1; }
fi

results=$(mktemp -d)
# Its own folder under /tmp (tests/postgres.sh hands it to the user postgres, who cannot enter $results).
PGROOT=$(mktemp -d -t dailypapers-postgres-XXXXXX)
export PGROOT
# A free port for the cluster: the first from 55440 up that nothing listens on.
PGPORT=55440
while (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; do PGPORT=$((PGPORT + 1)); done
export PGPORT
trap 'tests/postgres.sh stop; rm -rf "$results"' EXIT

# passed and failed of one pass's trx, or "0 1" when it has none (the run did not happen: a build failure?)
counts() {
  local trx="$results/$1.trx" counters
  [ -f "$trx" ] || { echo "0 1"; return; }
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  echo "$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters") $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
}

env -u DAILYPAPERS_TEST_POSTGRES dotnet test tests/DailyPapers.Tests -c Release --logger "trx;LogFileName=sqlite.trx" \
  --logger "console;verbosity=minimal" --results-directory "$results"
sqlite_status=$?
read -r sqlite_passed sqlite_failed <<<"$(counts sqlite)"

postgres_status=1
if line=$(tests/postgres.sh start); then
  eval "$line"
  dotnet test tests/DailyPapers.Tests -c Release --no-build --filter "Engine!=none&Engine!=sqlite" --logger "trx;LogFileName=postgres.trx" \
    --logger "console;verbosity=minimal" --results-directory "$results"
  postgres_status=$?
else
  echo "could not start PostgreSQL 15 (tests/postgres.sh start)"
fi
read -r postgres_passed postgres_failed <<<"$(counts postgres)"

# Each pass's results (every test with its duration) stay for reading after the run.
mkdir -p "$TEST_ARTIFACTS" && cp "$results"/*.trx "$TEST_ARTIFACTS/" 2>/dev/null
[ -d "$TEST_ARTIFACTS/browser" ] && echo "browser screenshots and accessibility summary: $TEST_ARTIFACTS/browser"
echo "sqlite: $sqlite_passed passed, $sqlite_failed failed; postgres: $postgres_passed passed, $postgres_failed failed"
passed=$((sqlite_passed + postgres_passed)) failed=$((sqlite_failed + postgres_failed))
echo "$passed passed, $failed failed"
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ] && [ "$failed" -eq 0 ]
