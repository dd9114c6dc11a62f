/* bench-clock.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The calling thread's CPU time, in ns: what it ran, not how long it waited. */
gint64 bench_thread_cpu_ns (void);

G_END_DECLS
