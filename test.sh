#!/usr/bin/env bash
# The whole test suite on a fresh machine with the .NET 10 SDK: installs and starts what the tests need, runs them,
# and ends with a plain "N passed, N failed" line.
# - SQLite ships with the app.
# - smtp4dev, the SMTP server the mail tests read back from, is a dotnet tool installed here into .tools; the tests
#   start it themselves on free loopback ports with an in-memory store (tests/DailyPapers.Tests/Smtp4dev.cs).
# - The browser tests drive Debian's /usr/bin/chromium through Playwright (never a browser Playwright downloads), and
#   the thumbnail tests call pdftoppm, the two-instance tests put Debian's nginx in front of the app: all come from
#   apt, installed here when missing (as root, or with sudo). The tests run nginx themselves, in a temporary prefix.
# Screenshots and the accessibility summary the browser tests write go to $TEST_ARTIFACTS/browser (default artifacts/).
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || [ ! -x /usr/sbin/nginx ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium fonts-dejavu-core poppler-utils nginx; } >/dev/null; then
    echo "could not install chromium, fonts-dejavu-core, poppler-utils and nginx with apt-get (run as root, or with sudo): the browser, thumbnail and two-instance tests need them"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

export TEST_ARTIFACTS="${TEST_ARTIFACTS:-$PWD/artifacts}"

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
[ -d "$TEST_ARTIFACTS/browser" ] && echo "browser screenshots and accessibility summary: $TEST_ARTIFACTS/browser"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
