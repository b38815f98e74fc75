#!/usr/bin/env bash
# `npm test`: jest (with coverage, on both cores), the type-check of the test suite and the linter, side by
# side. The type-check and the linter each use one core; run after jest they added their whole time to the
# wall clock, run beside it they fill the gaps jest leaves. Arguments go to jest. Exits non-zero when any fails.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-reports

tsc --noEmit -p test/tsconfig.json > test-reports/typecheck.log 2>&1 &
typecheck=$!
ESLINT_USE_FLAT_CONFIG=false NODE_NO_WARNINGS=1 eslint --ext .ts,.tsx --no-error-on-unmatched-pattern \
  lib test examples bin bench projenrc .projenrc.ts > test-reports/eslint.log 2>&1 &
lint=$!

jest --json --outputFile=test-reports/jest-results.json --passWithNoTests --ci "$@"
tests=$?

failed=0
wait "$typecheck" || { echo "Type-check failed:"; cat test-reports/typecheck.log; failed=1; }
wait "$lint" || { echo "ESLint failed:"; cat test-reports/eslint.log; failed=1; }
[ "$tests" -eq 0 ] || failed=1
exit "$failed"
