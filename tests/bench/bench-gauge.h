/* bench-gauge.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BenchGauge BenchGauge;

BenchGauge *bench_gauge_start          (void);
void        bench_gauge_stop           (BenchGauge *gauge);
void        bench_gauge_print          (BenchGauge *gauge);
double      bench_gauge_worst_between  (BenchGauge *gauge,
                                        gint64      since,
                                        gint64      until);
void        bench_gauge_free           (BenchGauge *gauge);

G_END_DECLS
