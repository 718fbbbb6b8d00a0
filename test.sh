#!/usr/bin/env bash
# The whole test suite on a fresh machine with the .NET 10 SDK: installs and starts what the tests need, runs them,
# and ends with a plain "N passed, N failed" line.
# - SQLite ships with the app.
# - smtp4dev, the SMTP server the mail tests read back from, is a dotnet tool installed here into .tools; the tests
#   start it themselves on free loopback ports with an in-memory store (tests/DailyPapers.Tests/Smtp4dev.cs).
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -x .tools/smtp4dev ]; then
  dotnet tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path .tools >/dev/null || { echo "could not install smtp4dev"; echo "0 passed, 1 failed"; exit 1; }
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet test tests/DailyPapers.Tests -c Release --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results"
status=$?

trx="$results/tests.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
else
  echo "the tests did not run (build failure?)"
  passed=0 failed=1
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
