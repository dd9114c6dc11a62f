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
 * The simulator stands for Google's servers, which do not share the
 * user's CPU: it runs as a process of its own (clipfleet-sim), at a lower
 * priority, not in the app's process. The app's own work (25 workers
 * submitting, polling and saving 1000 clips) stays in the process.
 *
 * Run under a display, e.g.:
 *   xvfb-run -a build/tests/bench/bench-ui-stall [n_takes [time_scale]]
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "bench-clock.h"
#include "bench-gauge.h"
#include "cf-job-grid.h"
#include "cf-run-controller.h"
#include "cf-window.h"

#define N_ACCOUNTS   25
#define TICK_MS      5
#define GOAL_MS      50
#define MODEL_KEY    "veo_3_1_t2v_fast"
/*
 * The simulator's clock against the real one. A clip renders in 60 s of the
 * service's time, give or take 20 s; at 0.05 all 1000 takes render in about
 * 3 s, most within a second of each other: 20 times the pace of the same
 * run against Google. At 1, the real pace, the run takes over two minutes.
 */
#define DEFAULT_TIME_SCALE  0.05

/*
 * Each gap between ticks is measured twice: in wall time (what the user
 * feels) and in the main thread's own CPU time (the work the main loop did
 * in it). On a shared machine the difference is time the thread waited for
 * a CPU, behind other programs or the run's own worker threads.
 */
typedef struct
{
  gint64  last;
  gint64  last_cpu;
  gint64  longest;
  gint64  longest_cpu;      /* the main thread's CPU time in the longest gap */
  gint64  longest_busy;     /* the largest CPU time in any one gap */
  gint64  longest_busy_at;  /* when that gap ended, from the first tick */
  gint64  longest_since;    /* monotonic: the ticks around the longest gap */
  gint64  longest_until;
  gint64  busy_since;       /* monotonic: the ticks around the busiest gap */
  gint64  busy_until;
  gint64  first;
  gint64  total_over;
  guint   n_over;
  guint   n_busy_over;
  guint   n_ticks;
} Stall;

/* The frame clock's phases, timed from the end of one to the end of the
 * next, in wall time and in the main thread's CPU time: where a long frame
 * spends its time, and whether it worked or waited. */
typedef struct
{
  gint64 phase_end[5];
  gint64 phase_cpu[5];
  gint64 longest;
  gint64 longest_phase[4];
  gint64 longest_phase_cpu[4];
  gint64 busiest;
  gint64 busiest_phase_cpu[4];
  gint64 total_cpu;         /* the main thread's CPU time in all frames */
  gint64 total_wall;
  guint  n_frames;
} Frames;

enum { PHASE_BEFORE, PHASE_UPDATE, PHASE_LAYOUT, PHASE_PAINT, PHASE_AFTER };

static gint64 thread_cpu_us (void);

/* With CLIPFLEET_BENCH_DEBUG set, each frame over the goal is printed. */
static CfRun *debug_run;
static gint64 debug_start;

/* The four phases of the frame that just ended, from the five phase ends. */
static void
copy_phases (const gint64 *ends,
             gint64        phases[4])
{
  for (guint i = 0; i < 4; i++)
    phases[i] = ends[i + 1] - ends[i];
}

static void
phase_end (Frames *frames,
           guint   phase)
{
  gint64 wall, cpu;

  /* A frame runs only the phases it needs: until a later phase ends, it
   * ends here too, and a phase the frame skips takes no time. */
  for (guint later = phase; later <= PHASE_AFTER; later++)
    {
      frames->phase_end[later] = g_get_monotonic_time ();
      frames->phase_cpu[later] = thread_cpu_us ();
    }
  if (phase != PHASE_AFTER || frames->phase_end[PHASE_BEFORE] == 0)
    return;

  frames->n_frames++;
  wall = frames->phase_end[PHASE_AFTER] - frames->phase_end[PHASE_BEFORE];
  cpu = frames->phase_cpu[PHASE_AFTER] - frames->phase_cpu[PHASE_BEFORE];
  frames->total_cpu += cpu;
  frames->total_wall += wall;
  if (wall > frames->longest)
    {
      frames->longest = wall;
      copy_phases (frames->phase_end, frames->longest_phase);
      copy_phases (frames->phase_cpu, frames->longest_phase_cpu);
    }
  if (debug_run != NULL && cpu > GOAL_MS * 1000)
    {
      gint64 phase_cpu[4];

      copy_phases (frames->phase_cpu, phase_cpu);
      printf ("    %.2f s into the run, %u takes done: a frame of %.0f ms of main-thread CPU"
              " (update %.0f, layout %.0f, paint %.0f)\n",
              (frames->phase_end[PHASE_AFTER] - debug_start) / 1e6, cf_run_get_n_done (debug_run),
              cpu / 1000.0, phase_cpu[0] / 1000.0, phase_cpu[1] / 1000.0, phase_cpu[2] / 1000.0);
    }
  if (cpu > frames->busiest)
    {
      frames->busiest = cpu;
      copy_phases (frames->phase_cpu, frames->busiest_phase_cpu);
    }
}

static void before_paint_cb (GdkFrameClock *clock, Frames *frames) { phase_end (frames, PHASE_BEFORE); }
static void update_cb (GdkFrameClock *clock, Frames *frames) { phase_end (frames, PHASE_UPDATE); }
static void layout_cb (GdkFrameClock *clock, Frames *frames) { phase_end (frames, PHASE_LAYOUT); }
static void paint_cb (GdkFrameClock *clock, Frames *frames) { phase_end (frames, PHASE_PAINT); }
static void after_paint_cb (GdkFrameClock *clock, Frames *frames) { phase_end (frames, PHASE_AFTER); }

static gint64
thread_cpu_us (void)
{
  return bench_thread_cpu_ns () / 1000;
}

static gboolean
tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (stall->last != 0)
    {
      gint64 gap = now - stall->last;
      gint64 busy = cpu - stall->last_cpu;

      if (gap > stall->longest)
        {
          stall->longest = gap;
          stall->longest_cpu = busy;
          stall->longest_since = stall->last;
          stall->longest_until = now;
        }
      if (busy > stall->longest_busy)
        {
          stall->longest_busy = busy;
          stall->longest_busy_at = now - stall->first;
          stall->busy_since = stall->last;
          stall->busy_until = now;
        }
      if (gap > GOAL_MS * 1000)
        {
          stall->n_over++;
          stall->total_over += gap;
        }
      if (busy > GOAL_MS * 1000)
        stall->n_busy_over++;
    }
  if (stall->first == 0)
    stall->first = now;
  stall->last = now;
  stall->last_cpu = cpu;
  stall->n_ticks++;

  return G_SOURCE_CONTINUE;
}

/* How long the main thread has waited, runnable, for a CPU (Linux's
 * schedstat, second field, in ns); -1 where it is not known. */
static double
main_thread_run_queue_wait_s (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &contents, NULL, NULL))
    return -1;
  fields = g_strsplit (contents, " ", -1);
  if (g_strv_length (fields) < 2)
    return -1;
  return g_ascii_strtod (fields[1], NULL) / 1e9;
}

/*
 * CPU time the host of a virtual machine took from this machine's CPUs
 * ("steal" in /proc/stat), in seconds; -1 where it is not known. The guest
 * never sees it as a program of its own: it only makes everything slower.
 */
static double
machine_steal_s (void)
{
  g_autofree char *contents = NULL;
  guint64 steal;
  long tick = sysconf (_SC_CLK_TCK);

  /* The first line: "cpu" and user, nice, system, idle, iowait, irq, softirq, steal. */
  if (!g_file_get_contents ("/proc/stat", &contents, NULL, NULL) || tick <= 0
      || sscanf (contents, "cpu %*s %*s %*s %*s %*s %*s %*s %" G_GUINT64_FORMAT, &steal) != 1)
    return -1;

  return (double) steal / tick;
}

static double
process_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
print_gauge_during (const char *what,
                    BenchGauge *gauge,
                    gint64      since,
                    gint64      until)
{
  double worst = bench_gauge_worst_between (gauge, since, until);

  if (worst > 0)
    printf ("    during %s, the gauge's worst: %.0f× its best\n", what, worst);
  else
    /* It measures every 5 ms, a tick's length: a short gap can fall between. */
    printf ("    during %s, the gauge did not measure\n", what);
}

static char *
make_config (double time_scale)
{
  g_autoptr(GString) config = g_string_new (NULL);
  char scale[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (config, "{ \"seed\": 7, \"time_scale\": %s,",
                          g_ascii_dtostr (scale, sizeof scale, time_scale));
  g_string_append (config,
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

static void
simulator_setup_cb (gpointer user_data)
{
  /* In the child, before exec: the simulator yields the CPU to the app,
   * and goes when the bench goes, even if the bench aborts. */
  setpriority (PRIO_PROCESS, 0, 10);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts clipfleet-sim on the configuration, and reads the base URL it
 * prints once it listens. What it says on stderr is shown only if it
 * fails to start. */
static GSubprocess *
start_simulator (const char  *config_path,
                 char       **base_url)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_setup_cb, NULL, NULL);
  sim = g_subprocess_launcher_spawn (launcher, &error,
                                     CLIPFLEET_SIM_PATH, "--config", config_path, NULL);
  if (sim == NULL)
    g_error ("The simulator did not start: %s", error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  *base_url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (*base_url == NULL)
    {
      g_autofree char *said = NULL;

      g_subprocess_communicate_utf8 (sim, NULL, NULL, NULL, &said, NULL);
      g_error ("The simulator did not say where it listens: %s",
               said != NULL ? said : error != NULL ? error->message : "it exited");
    }

  return g_steal_pointer (&sim);
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
  double time_scale = argc > 2 ? g_ascii_strtod (argv[2], NULL) : DEFAULT_TIME_SCALE;
  g_autofree char *config = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autofree char *sim_url = NULL;
  g_autofree char *config_path = NULL;
  g_autoptr(CfEndpoints) endpoints = NULL;
  g_autoptr(GPtrArray) accounts = make_accounts ();
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(CfRunSettings) settings = cf_run_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *load = NULL;
  const char *renderer;
  CfWindow *window;
  CfRunController *controller;
  g_autoptr(CfRun) run = NULL;
  Stall stall = { 0 };
  BenchGauge *gauge;
  Frames frames = { 0 };
  GdkFrameClock *clock;
  gboolean ended = FALSE;
  gint64 start;
  double start_wait;
  double start_steal;
  double end_steal;
  gint64 start_cpu;
  double end_wait;
  guint tick_id;

  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  gtk_init ();
  adw_init ();

  if (n_takes == 0)
    n_takes = 1000;
  if (!(time_scale > 0))
    time_scale = DEFAULT_TIME_SCALE;
  config = make_config (time_scale);

  tmp = g_dir_make_tmp ("clipfleet-bench-ui-XXXXXX", &error);
  g_assert_no_error (error);
  config_path = g_build_filename (tmp, "sim.json", NULL);
  if (!g_file_set_contents (config_path, config, -1, &error))
    g_error ("Cannot write the simulator's configuration: %s", error->message);

  sim = start_simulator (config_path, &sim_url);
  endpoints = cf_endpoints_new_for_origin (sim_url, &error);
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
  /* The app's 5 s poll interval, on the service's clock. */
  cf_run_settings_set_poll_interval_ms (settings, (guint) (5000 * time_scale));
  cf_run_settings_set_backoff_ms (settings, (guint) (2000 * time_scale));
  cf_run_settings_set_backoff_max_ms (settings, (guint) (40000 * time_scale));

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

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock != NULL)
    {
      g_signal_connect_after (clock, "before-paint", G_CALLBACK (before_paint_cb), &frames);
      g_signal_connect_after (clock, "update", G_CALLBACK (update_cb), &frames);
      g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), &frames);
      g_signal_connect_after (clock, "paint", G_CALLBACK (paint_cb), &frames);
      g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
    }
  gauge = bench_gauge_start ();
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, &stall, NULL);
  start = g_get_monotonic_time ();
  start_wait = main_thread_run_queue_wait_s ();
  start_cpu = thread_cpu_us ();
  start_steal = machine_steal_s ();

  if (!cf_run_controller_start (controller, script, settings, &error))
    g_error ("The run did not start: %s", error->message);

  if (g_getenv ("CLIPFLEET_BENCH_DEBUG") != NULL)
    {
      debug_run = cf_run_controller_get_run (controller);
      debug_start = start;
    }
  while (!ended)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick_id);
  bench_gauge_stop (gauge);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window)) != NULL
               ? G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))) : "none (hidden)";
  if (!g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    load = g_strdup ("unknown");
  g_strchomp (load);
  run = g_object_ref (cf_run_controller_get_run (controller));

  printf ("bench-ui-stall: %u takes on %u accounts in %.1f s: %u done, %u failed"
          " (service clock ×%g)\n",
          n_takes, N_ACCOUNTS, (g_get_monotonic_time () - start) / 1e6,
          cf_run_get_n_done (run), cf_run_get_n_failed (run), time_scale);
  printf ("  longest main-loop stall: %.1f ms wall, of which the main thread ran %.1f ms"
          " (goal: under %d ms) %s\n",
          stall.longest / 1000.0, stall.longest_cpu / 1000.0, GOAL_MS,
          stall.longest < GOAL_MS * 1000 ? "OK" : "OVER");
  printf ("  longest main-loop work between two ticks: %.1f ms of main-thread CPU, %.2f s into the run %s\n",
          stall.longest_busy / 1000.0, stall.longest_busy_at / 1e6,
          stall.longest_busy < GOAL_MS * 1000 ? "OK" : "OVER");
  if (g_getenv ("CLIPFLEET_BENCH_DEBUG") != NULL)
    printf ("  (the longest work ended at monotonic %.3f s)\n", (stall.first + stall.longest_busy_at) / 1e6);
  printf ("  gaps over %d ms: %u in wall time (%.0f ms in all), %u in main-thread CPU; ticks: %u\n",
          GOAL_MS, stall.n_over, stall.total_over / 1000.0, stall.n_busy_over, stall.n_ticks);
  printf ("  frames: %u; the longest %.1f ms wall (update %.1f, layout %.1f, paint %.1f, after %.1f),"
          " of which main-thread CPU %.1f, %.1f, %.1f, %.1f\n",
          frames.n_frames, frames.longest / 1000.0, frames.longest_phase[0] / 1000.0,
          frames.longest_phase[1] / 1000.0, frames.longest_phase[2] / 1000.0,
          frames.longest_phase[3] / 1000.0, frames.longest_phase_cpu[0] / 1000.0,
          frames.longest_phase_cpu[1] / 1000.0, frames.longest_phase_cpu[2] / 1000.0,
          frames.longest_phase_cpu[3] / 1000.0);
  printf ("  main-thread CPU during the run: %.1f s, %.1f s of it in %u frames (%.1f s wall),"
          " the rest between frames (the run's reports)\n",
          (thread_cpu_us () - start_cpu) / 1e6, frames.total_cpu / 1e6, frames.n_frames,
          frames.total_wall / 1e6);
  printf ("  the frame with the most main-thread CPU: %.1f ms (update %.1f, layout %.1f, paint %.1f, after %.1f)\n",
          frames.busiest / 1000.0, frames.busiest_phase_cpu[0] / 1000.0,
          frames.busiest_phase_cpu[1] / 1000.0, frames.busiest_phase_cpu[2] / 1000.0,
          frames.busiest_phase_cpu[3] / 1000.0);
  printf ("  renderer: %s (under Xvfb every renderer draws in software, a desktop's GL on a GPU does not)\n",
          renderer);
  printf ("  simulator: clipfleet-sim, a process of its own at nice 10 (it stands for Google's servers)\n");
  end_wait = main_thread_run_queue_wait_s ();
  if (start_wait >= 0 && end_wait >= 0)
    printf ("  the main thread waited %.1f s in all for a CPU while runnable"
            " (other threads had it)\n", end_wait - start_wait);
  end_steal = machine_steal_s ();
  if (start_steal >= 0 && end_steal >= 0)
    printf ("  the host of this virtual machine took %.1f s of its %ld CPUs' time (steal)\n",
            end_steal - start_steal, sysconf (_SC_NPROCESSORS_ONLN));
  printf ("  main thread CPU %.1f s; whole process %.1f s; load average at the end: %s\n",
          thread_cpu_us () / 1e6, process_cpu_s (), load);
  bench_gauge_print (gauge);
  print_gauge_during ("the longest stall", gauge, stall.longest_since, stall.longest_until);
  print_gauge_during ("the longest work", gauge, stall.busy_since, stall.busy_until);
  bench_gauge_free (gauge);

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);

  return cf_run_get_n_done (run) + cf_run_get_n_failed (run) == n_takes ? 0 : 1;
}
