/* cf-sim-clock.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-sim-private.h"

/*
 * Simulated time runs from 0 at start, at 1 / time_scale simulated seconds
 * per real second. Changing the scale rebases the clock so that simulated
 * time never jumps back; advancing it moves every take forward at once.
 * Callers hold the state lock.
 */

void
cf_sim_clock_init (CfSimState *st,
                   double      time_scale)
{
  st->mono_base = g_get_monotonic_time ();
  st->sim_base = 0;
  st->time_scale = time_scale;
  st->epoch_base = g_get_real_time () / G_USEC_PER_SEC;
}

double
cf_sim_clock_now (CfSimState *st)
{
  double real = (double) (g_get_monotonic_time () - st->mono_base) / G_USEC_PER_SEC;

  return st->sim_base + real / st->time_scale;
}

void
cf_sim_clock_set_scale (CfSimState *st,
                        double      time_scale)
{
  double now = cf_sim_clock_now (st);

  st->mono_base = g_get_monotonic_time ();
  st->sim_base = now;
  st->time_scale = time_scale;
}

void
cf_sim_clock_advance (CfSimState *st,
                      double      seconds)
{
  st->sim_base += seconds;
}

double
cf_sim_clock_to_real (CfSimState *st,
                      double      sim_seconds)
{
  return sim_seconds * st->time_scale;
}

/* Signed URLs carry a Unix time; the simulated world starts at our start. */
gint64
cf_sim_clock_to_epoch (CfSimState *st,
                       double      sim_time)
{
  return st->epoch_base + (gint64) sim_time;
}
