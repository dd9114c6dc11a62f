#!/bin/sh
# po/check-po-current.sh
# Copyright 2026 The Clipfleet developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a string marked for translation in the sources has no
# translation in a po/LANG.po: a string added after the last translation pass
# would otherwise show up in English. Extracts the template the way meson's
# glib preset does, then compares every language against it with msgcmp.
# Usage: check-po-current.sh SOURCE_ROOT

root=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

xgettext --package-name=clipfleet --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --directory="$root" --files-from="$root/po/POTFILES.in" \
  --output="$tmp/clipfleet.pot" 2>"$tmp/xgettext.log" || {
  cat "$tmp/xgettext.log"
  exit 1
}

status=0
for lang in $(cat "$root/po/LINGUAS"); do
  if ! msgcmp "$root/po/$lang.po" "$tmp/clipfleet.pot" 2>"$tmp/msgcmp.log"; then
    echo "po/$lang.po lacks translations of strings in the sources:"
    cat "$tmp/msgcmp.log"
    echo "Run: meson compile -C BUILDDIR clipfleet-update-po, then translate them."
    status=1
  fi
done
exit $status
