/* cf-run-account-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-run-account.h"

G_BEGIN_DECLS

/* What a worker reports about its account; applied on the main thread. */
typedef struct
{
  CfAccountHealth  health;
  guint            in_flight;
  guint            limit;
  guint            done;
  guint            failed;
  guint            taken;
  gint64           credits;
  gint64           backoff_until;
  int              out_code;
  char            *out_reason;
} CfRunAccountSnapshot;

CfRunAccount *cf_run_account_new   (const char                 *id,
                                    const char                 *name,
                                    guint                       limit);
/* Changes what differs and notifies it; TRUE if anything changed. */
gboolean      cf_run_account_apply (CfRunAccount               *self,
                                    const CfRunAccountSnapshot *snapshot);

G_END_DECLS
