#!/bin/sh
# po/check-po.sh
# Copyright 2026 The Clipfleet developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a translation is malformed, or has an untranslated or fuzzy
# message: a half-translated interface is worse than an English one.
# Usage: check-po.sh FILE.po...

status=0
for po in "$@"; do
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
    echo "$po: $stats"
    status=1
    continue
  }
  echo "$po: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) status=1 ;;
  esac
done
exit $status
