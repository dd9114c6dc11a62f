/* cf-run-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-run.h"

G_BEGIN_DECLS

/* For tests: how many batches reached the main thread, and how many events they carried. */
guint cf_run_get_n_dispatches (CfRun *self);
guint cf_run_get_n_events     (CfRun *self);

G_END_DECLS
