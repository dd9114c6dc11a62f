#!/bin/sh
# po/check-potfiles.sh
# Copyright 2026 The Clipfleet developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a source file marks strings for translation but is missing from
# POTFILES.in (its strings would silently stay English), when POTFILES.in
# names a file that is gone, or when it is not sorted.
# Usage: check-potfiles.sh SOURCE_ROOT

cd "$1" || exit 1
status=0

listed=$(grep -v '^#' po/POTFILES.in | grep -v '^[[:space:]]*$')

if [ "$listed" != "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then
  echo "po/POTFILES.in is not sorted"
  status=1
fi

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in names $f, which does not exist"
    status=1
  fi
done

marked=$({
  grep -lE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|g_dngettext|g_dpgettext2)[[:space:]]*\(' \
    src/*/*.c src/*.c 2>/dev/null
  grep -l 'translatable="yes"' src/*/*.ui src/*/gtk/*.ui 2>/dev/null
} | LC_ALL=C sort -u)

for f in $marked; do
  if ! printf '%s\n' "$listed" | grep -qx "$f"; then
    echo "$f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

exit $status
