/* bench-ui-stall.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How smooth the window stays while a run reports: 1000 takes on 25
 * simulated accounts, all in flight at once, shown in the real window (job
 * grid, accounts strip, log). A 5 ms timer on the main loop measures the
 * longest gap between its ticks: the longest stall a user would feel.
 * Goal: under 50 ms. A measurement, not a test: it prints and exits 0
 * (1 only when the run itself fails).
 *
 * Run under a display, e.g.:
 *   xvfb-run -a build/tests/bench/bench-ui-stall [n_takes]
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <adwaita.h>

#include "cf-job-grid.h"
#include "cf-run-controller.h"
#include "cf-sim-server.h"
#include "cf-window.h"

#define N_ACCOUNTS   25
#define TICK_MS      5
#define GOAL_MS      50
#define MODEL_KEY    "veo_3_1_t2v_fast"

typedef struct
{
  gint64  last;
  gint64  longest;
  gint64  total_over;
  guint   n_over;
  guint   n_ticks;
} Stall;

static gboolean
tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    {
      gint64 gap = now - stall->last;

      if (gap > stall->longest)
        stall->longest = gap;
      if (gap > GOAL_MS * 1000)
        {
          stall->n_over++;
          stall->total_over += gap;
        }
    }
  stall->last = now;
  stall->n_ticks++;

  return G_SOURCE_CONTINUE;
}

static char *
make_config (void)
{
  g_autoptr(GString) config = g_string_new (NULL);

  g_string_append (config,
                   "{ \"seed\": 7, \"time_scale\": 0.05,"
                   "  \"models\": [ { \"key\": \"" MODEL_KEY "\", \"cost\": 1,"
                   "    \"render_seconds\": 60, \"render_spread\": 20, \"shape\": \"A\" } ],"
                   "  \"accounts\": [");
  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_string_append_printf (config,
                            "%s{ \"kind\": \"labs\", \"name\": \"Bench-%02u\","
                            "  \"tokens\": [\"ya29.bench-ui-%u\"],"
                            "  \"project_id\": \"%08x-0000-4000-8000-%012x\","
                            "  \"credits\": 1000000, \"max_in_flight\": 40, \"max_rps\": 100000 }",
                            i > 0 ? "," : "", i, i, 0xbe0c0000 + i, i);
  g_string_append (config, "] }");

  return g_string_free (g_steal_pointer (&config), FALSE);
}

static GPtrArray *
make_accounts (void)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench-%02u", i);
      g_autofree char *token = g_strdup_printf ("ya29.bench-ui-%u", i);
      g_autofree char *project = g_strdup_printf ("%08x-0000-4000-8000-%012x", 0xbe0c0000 + i, i);
      const char *tokens[] = { token, NULL };
      CfAccount *account = cf_account_new (CF_ACCOUNT_KIND_LABS, name);

      cf_account_set_project_id (account, project);
      cf_account_set_tokens (account, tokens);
      cf_account_set_max_in_flight (account, 40);
      cf_account_set_enabled (account, TRUE);
      g_ptr_array_add (accounts, account);
    }

  return accounts;
}

static void
finished_cb (CfRunController *controller,
             guint            done,
             guint            failed,
             guint            total,
             const char      *message,
             gboolean        *ended)
{
  *ended = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_takes = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000;
  g_autofree char *config = make_config ();
  g_autoptr(CfSimServer) sim = NULL;
  g_autoptr(CfEndpoints) endpoints = NULL;
  g_autoptr(GPtrArray) accounts = make_accounts ();
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(CfRunSettings) settings = cf_run_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *state_dir = NULL;
  CfWindow *window;
  CfRunController *controller;
  g_autoptr(CfRun) run = NULL;
  Stall stall = { 0 };
  gboolean ended = FALSE;
  gint64 start;
  guint tick_id;

  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  gtk_init ();
  adw_init ();

  if (n_takes == 0)
    n_takes = 1000;

  sim = cf_sim_server_new_from_data (config, -1, &error);
  if (sim == NULL || !cf_sim_server_start (sim, 0, &error))
    g_error ("The simulator did not start: %s", error->message);
  endpoints = cf_endpoints_new_for_origin (cf_sim_server_get_base_url (sim), &error);
  g_assert_no_error (error);

  tmp = g_dir_make_tmp ("clipfleet-bench-ui-XXXXXX", &error);
  g_assert_no_error (error);
  out_dir = g_build_filename (tmp, "out", NULL);
  state_dir = g_build_filename (tmp, "runs", NULL);

  cf_script_set_title (script, "Bench UI");
  for (guint i = 0; i < n_takes; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Bench scene %u: paper boats on a rainy street", i + 1);
      g_autoptr(CfScene) scene = cf_scene_new (prompt);

      cf_script_append_scene (script, scene);
    }

  cf_run_settings_set_endpoints (settings, endpoints);
  cf_run_settings_set_output_dir (settings, out_dir);
  cf_run_settings_set_state_dir (settings, state_dir);
  cf_run_settings_set_model_key (settings, MODEL_KEY);
  cf_run_settings_set_takes_per_scene (settings, 1);
  cf_run_settings_set_poll_interval_ms (settings, 250);
  cf_run_settings_set_backoff_ms (settings, 100);
  cf_run_settings_set_backoff_max_ms (settings, 2000);

  window = cf_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 860);
  /* CLIPFLEET_BENCH_HIDDEN=1 measures the run without drawing it: the
   * engine's share of the stalls. */
  if (g_getenv ("CLIPFLEET_BENCH_HIDDEN") == NULL)
    gtk_window_present (GTK_WINDOW (window));
  controller = cf_window_get_controller (window);
  cf_run_controller_set_accounts (controller, accounts);
  g_signal_connect (controller, "finished", G_CALLBACK (finished_cb), &ended);

  /* Let the window map before measuring. */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 500 * 1000)
    g_main_context_iteration (NULL, FALSE);

  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, &stall, NULL);
  start = g_get_monotonic_time ();

  if (!cf_run_controller_start (controller, script, settings, &error))
    g_error ("The run did not start: %s", error->message);

  while (!ended)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick_id);
  run = g_object_ref (cf_run_controller_get_run (controller));

  printf ("bench-ui-stall: %u takes on %u accounts in %.1f s: %u done, %u failed\n",
          n_takes, N_ACCOUNTS, (g_get_monotonic_time () - start) / 1e6,
          cf_run_get_n_done (run), cf_run_get_n_failed (run));
  printf ("  longest main-loop stall: %.1f ms (goal: under %d ms) %s\n",
          stall.longest / 1000.0, GOAL_MS, stall.longest < GOAL_MS * 1000 ? "OK" : "OVER");
  printf ("  stalls over %d ms: %u (%.0f ms in all), ticks: %u\n",
          GOAL_MS, stall.n_over, stall.total_over / 1000.0, stall.n_ticks);

  gtk_window_destroy (GTK_WINDOW (window));
  cf_sim_server_stop (sim);

  return cf_run_get_n_done (run) + cf_run_get_n_failed (run) == n_takes ? 0 : 1;
}
