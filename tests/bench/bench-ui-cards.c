/* bench-ui-cards.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one state change costs the window, per job card on screen: a grid
 * of takes is shown, every take goes through the states a run takes it
 * through, and after each step the main thread's CPU time up to the next
 * drawn frames is read, split between the cards' own work (their update,
 * styles and layout) and drawing, which depends on the renderer. CPU time,
 * not wall time: what the window itself spends, whatever else the machine
 * runs. Yet on the shared machine it was written on, the same step cost
 * from 13 ms to 3.4 s from one round to the next (see bench-gauge.c), so
 * each step's least cost over the rounds is printed beside its mean. For a
 * count that does not vary at all, run it under callgrind, which counts
 * instructions in change_state() alone and writes one file per state change:
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=change_state \
 *            --dump-after=change_state build/tests/bench/bench-ui-cards 1
 * A measurement, not a test: it prints and exits 0.
 *
 * Run under a display, e.g.:
 *   xvfb-run -a build/tests/bench/bench-ui-cards [rounds]
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <adwaita.h>

#include "bench-clock.h"
#include "bench-gauge.h"
#include "cf-job-card.h"
#include "cf-job-grid.h"
#include "cf-take-private.h"

#define N_TAKES  200

static const CfTakeState steps[] = {
  CF_TAKE_STATE_SUBMITTING,
  CF_TAKE_STATE_PENDING,
  CF_TAKE_STATE_RENDERING,
  CF_TAKE_STATE_DOWNLOADING,
  CF_TAKE_STATE_DONE,
  CF_TAKE_STATE_QUEUED,
};

/* The main thread's CPU time in the frames, by where it went. */
typedef struct
{
  guint  n_frames;
  gint64 mark;
  gint64 cards;     /* update and layout: the cards catch up, restyle, measure */
  gint64 drawing;   /* paint: the renderer */
} Frames;

static gint64
thread_cpu_us (void)
{
  return bench_thread_cpu_ns () / 1000;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Frames        *frames)
{
  frames->mark = thread_cpu_us ();
}

static void
layout_cb (GdkFrameClock *clock,
           Frames        *frames)
{
  gint64 now = thread_cpu_us ();

  frames->cards += now - frames->mark;
  frames->mark = now;
}

static void
paint_cb (GdkFrameClock *clock,
          Frames        *frames)
{
  frames->drawing += thread_cpu_us () - frames->mark;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *frames)
{
  frames->n_frames++;
}

static void
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* Until the window has drawn n more frames, or a second has passed
 * (nothing changed, so nothing to draw). */
static void
wait_frames (Frames *frames,
             guint   n)
{
  guint until = frames->n_frames + n;
  gboolean late = FALSE;
  guint timeout_id;

  /* Blocking: a busy loop would count its own spinning as the window's. */
  timeout_id = g_timeout_add_once (1000, set_true_cb, &late);
  while (frames->n_frames < until && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (timeout_id);
}

/* The cards under `widget`: all of them, or only those on screen. */
static guint
count_cards (GtkWidget *widget,
             gboolean   mapped_only)
{
  guint n = 0;

  if (CF_IS_JOB_CARD (widget))
    return !mapped_only || gtk_widget_get_mapped (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cards (child, mapped_only);

  return n;
}

/* Every take to `state`, and what the window spends until it has shown it.
 * Not inlined: callgrind counts inside it by its name (see the top). */
static gint64 __attribute__ ((noinline))
change_state (GListModel  *takes,
              CfTakeState  state,
              Frames      *frames)
{
  gint64 start = thread_cpu_us ();

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (takes, i);

      cf_take_set_state (take, state);
    }
  /* The cards catch up in the next frame's update phase. */
  wait_frames (frames, 2);

  return thread_cpu_us () - start;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListStore) takes = NULL;
  GdkFrameClock *clock;
  GtkWidget *window, *grid;
  guint rounds = argc > 1 ? (guint) MAX (atoi (argv[1]), 1) : 5;
  guint n_mapped, per_card;
  gint64 per_step[G_N_ELEMENTS (steps)] = { 0 };
  gint64 best_step[G_N_ELEMENTS (steps)];
  gint64 total = 0;
  Frames frames = { 0 };
  BenchGauge *gauge;

  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  adw_init ();

  takes = g_list_store_new (CF_TYPE_TAKE);
  for (guint i = 0; i < N_TAKES; i++)
    {
      g_autoptr(CfTake) take = cf_take_new (i / 2 + 1, "A lighthouse in a storm", i % 2 + 1,
                                            "A lighthouse keeper climbs the stairs",
                                            g_get_real_time ());

      cf_take_set_account (take, "account-1", "Account-A");
      g_list_store_append (takes, take);
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  grid = cf_job_grid_new ();
  cf_job_grid_set_model (CF_JOB_GRID (grid), G_LIST_MODEL (takes));
  gtk_window_set_child (GTK_WINDOW (window), grid);
  gtk_window_present (GTK_WINDOW (window));
  clock = gtk_widget_get_frame_clock (window);
  /* After GTK's own handlers: each marks the end of its phase. */
  g_signal_connect_after (clock, "before-paint", G_CALLBACK (before_paint_cb), &frames);
  g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), &frames);
  g_signal_connect_after (clock, "paint", G_CALLBACK (paint_cb), &frames);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);

  /* The paced model shows the takes over a few frames: on until the cards
   * on screen are the same for several frames. */
  n_mapped = 0;
  for (guint stable = 0; stable < 3; )
    {
      guint now;

      wait_frames (&frames, 5);
      now = count_cards (grid, TRUE);
      stable = now > 0 && now == n_mapped ? stable + 1 : 0;
      n_mapped = now;
    }
  per_card = MAX (n_mapped, 1);
  frames.cards = frames.drawing = 0;

  gauge = bench_gauge_start ();
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    best_step[s] = G_MAXINT64;
  for (guint r = 0; r < rounds; r++)
    for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
      {
        gint64 cost = change_state (G_LIST_MODEL (takes), steps[s], &frames);

        per_step[s] += cost;
        best_step[s] = MIN (best_step[s], cost);
      }
  bench_gauge_stop (gauge);

  printf ("bench-ui-cards: %u takes, %u cards on screen, %u rounds of %u state changes\n",
          N_TAKES, n_mapped, rounds, (guint) G_N_ELEMENTS (steps));
  /* Out of sight but alive, a card still takes every change of its take. */
  printf ("  cards alive: %u, in %u columns at most\n", count_cards (grid, FALSE),
          gtk_grid_view_get_max_columns (cf_job_grid_get_grid_view (CF_JOB_GRID (grid))));
  /* The same work every round: its least cost is the closest to what the
   * work itself costs, and the mean adds what the machine did meanwhile
   * (see bench-gauge.c). */
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      printf ("  to %-12s %6.1f ms of main-thread CPU, %5.2f ms per card on screen;"
              " at least %.1f ms, %.2f per card\n",
              cf_take_state_to_string (steps[s]), per_step[s] / 1000.0 / rounds,
              per_step[s] / 1000.0 / rounds / per_card, best_step[s] / 1000.0,
              best_step[s] / 1000.0 / per_card);
      total += per_step[s];
    }
  printf ("  a state change, on average: %.2f ms per card on screen\n",
          total / 1000.0 / rounds / G_N_ELEMENTS (steps) / per_card);
  printf ("  of the frames' CPU: %.0f%% the cards' update and layout, %.0f%% drawing (%s)\n",
          100.0 * frames.cards / MAX (frames.cards + frames.drawing, 1),
          100.0 * frames.drawing / MAX (frames.cards + frames.drawing, 1),
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  bench_gauge_print (gauge);
  bench_gauge_free (gauge);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
