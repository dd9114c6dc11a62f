/* bench-gauge.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A gauge of the machine, not of the app: a thread of its own runs the same
 * few instructions every 5 ms while a bench measures, and times them in its
 * own CPU time. On a machine to itself they cost about the same each time.
 * On the shared virtual machine the benches were written on, their worst
 * was hundreds of times their best: the same instructions, charged
 * hundreds of times the CPU time (most likely the host took the virtual
 * CPU from under the thread, and the guest charged the thread for it). A
 * bench's other threads can be charged the same way. The gauge runs on
 * whichever CPU the kernel gives it, so it is a hint about the machine
 * while the bench ran, not a correction of the bench's figures.
 */

#include "config.h"

#include <stdio.h>

#include "bench-clock.h"
#include "bench-gauge.h"

#define WORK_ITERATIONS  20000
#define EVERY_US         5000

typedef struct
{
  gint64 since;     /* monotonic, around the work */
  gint64 until;
  gint64 cost_ns;   /* its thread's CPU time */
} Sample;

struct _BenchGauge
{
  GThread *thread;
  GArray  *samples;   /* Sample; the gauge's thread writes it until stopped */
  gint64   best_ns;   /* once stopped */
  gint     stop;      /* atomic */
};

/* A xorshift on a volatile: every iteration loads and stores, so the
 * compiler can neither fold the loop nor keep it in registers, and it costs
 * some 20 to 30 µs on a current CPU. */
static gint64
measure_once (void)
{
  volatile guint64 x = 88172645463325252ull;
  gint64 before = bench_thread_cpu_ns ();

  for (guint i = 0; i < WORK_ITERATIONS; i++)
    {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
    }

  return bench_thread_cpu_ns () - before;
}

static gpointer
gauge_thread (gpointer data)
{
  BenchGauge *gauge = data;

  while (!g_atomic_int_get (&gauge->stop))
    {
      Sample sample;

      sample.since = g_get_monotonic_time ();
      sample.cost_ns = measure_once ();
      sample.until = g_get_monotonic_time ();
      g_array_append_val (gauge->samples, sample);
      g_usleep (EVERY_US);
    }

  return NULL;
}

BenchGauge *
bench_gauge_start (void)
{
  BenchGauge *gauge = g_new0 (BenchGauge, 1);

  gauge->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  gauge->thread = g_thread_new ("bench-gauge", gauge_thread, gauge);

  return gauge;
}

void
bench_gauge_stop (BenchGauge *gauge)
{
  g_return_if_fail (gauge->thread != NULL);

  g_atomic_int_set (&gauge->stop, TRUE);
  g_thread_join (g_steal_pointer (&gauge->thread));

  gauge->best_ns = G_MAXINT64;
  for (guint i = 0; i < gauge->samples->len; i++)
    gauge->best_ns = MIN (gauge->best_ns, g_array_index (gauge->samples, Sample, i).cost_ns);
  gauge->best_ns = MAX (gauge->best_ns, 1);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
bench_gauge_print (BenchGauge *gauge)
{
  g_autoptr(GArray) cost = NULL;
  guint n = gauge->samples->len;
  guint n_slow = 0;
  gint64 worst;
  double total = 0;

  g_return_if_fail (gauge->thread == NULL);

  if (n == 0)
    return;

  cost = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = 0; i < n; i++)
    g_array_append_val (cost, g_array_index (gauge->samples, Sample, i).cost_ns);
  g_array_sort (cost, compare_gint64);
  worst = g_array_index (cost, gint64, n - 1);
  for (guint i = 0; i < n; i++)
    {
      gint64 one = g_array_index (cost, gint64, i);

      total += one;
      if (one > 10 * gauge->best_ns)
        n_slow++;
    }

  /* The mean against the best: how much of the CPU time a thread was
   * charged in the run, on average, was the machine's doing. */
  printf ("  the machine: the same fixed work cost a thread %.0f µs of CPU at best,"
          " %.0f at the median, %.0f at worst (%.0f× its best), %.1f× its best on average;"
          " %u of %u times over 10× its best\n",
          gauge->best_ns / 1e3, g_array_index (cost, gint64, n / 2) / 1e3, worst / 1e3,
          (double) worst / gauge->best_ns, total / n / gauge->best_ns, n_slow, n);
}

/* Its worst over the measures that overlap [since, until] (monotonic),
 * against its best; 0 when none did. */
double
bench_gauge_worst_between (BenchGauge *gauge,
                           gint64      since,
                           gint64      until)
{
  gint64 worst = 0;

  g_return_val_if_fail (gauge->thread == NULL, 0);

  for (guint i = 0; i < gauge->samples->len; i++)
    {
      Sample *sample = &g_array_index (gauge->samples, Sample, i);

      if (sample->since <= until && sample->until >= since)
        worst = MAX (worst, sample->cost_ns);
    }

  return (double) worst / gauge->best_ns;
}

void
bench_gauge_free (BenchGauge *gauge)
{
  if (gauge == NULL)
    return;

  if (gauge->thread != NULL)
    bench_gauge_stop (gauge);
  g_array_unref (gauge->samples);
  g_free (gauge);
}
