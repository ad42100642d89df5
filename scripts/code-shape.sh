#!/usr/bin/env bash
# The figures of issue 18's first list, for the tree given (default: this checkout); docs/CODE-SHAPE.md.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
ts() { find "$@" -name '*.ts' -not -path '*/node_modules/*'; }
count() { ts src | xargs grep -hoE "$1" | wc -l; }
echo "Kysely<any> in src:            $(count 'Kysely<any>')"
echo "Kysely<any> everywhere else:   $(ts tests bench migrations scripts web/src | xargs grep -hoE 'Kysely<any>' | wc -l)"
echo "any in src (type positions):   $(count '(:\s*any\b|<any\b|\bas any\b|\bany\[\]|,\s*any>)')"
echo "as unknown as in src:          $(count 'as unknown as')"
echo "row casts (as { / as Row):     $(ts src/projections src/application | xargs grep -hoE 'as \{|as Row\b' | wc -l)"
echo "raw sql templates in src:      $(count '\bsql(<[^>]*>)?`')"
echo "builder calls in src:          $(count '\.(selectFrom|insertInto|updateTable|deleteFrom)\(')"
echo "lines over 160 chars:          $(ts src tests | xargs awk 'length > 160' | wc -l)"
echo "longest files (lines):"
ts src | xargs wc -l | grep -v ' total$' | sort -rn | head -5 | sed 's/^/  /'
