/* test-ui-demo.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app in demo mode, end to end: the in-process simulator with three
 * accounts, the sample script, Generate Videos, the cards, the files.
 */

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cf-account-strip.h"
#include "cf-account-strip-row.h"
#include "cf-application.h"
#include "cf-demo.h"
#include "cf-error.h"
#include "cf-job-card.h"
#include "cf-job-grid.h"
#include "cf-log-line.h"
#include "cf-log-pane.h"
#include "cf-run-controller.h"
#include "cf-sales-panel.h"
#include "cf-scene-editor.h"
#include "cf-scene-row.h"
#include "cf-script-panel.h"
#include "cf-test-notifications.h"
#include "cf-window.h"

/* Real seconds a demo run may take before the test gives up. */
#define RUN_TIMEOUT_S 150

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until condition holds; FALSE if it did not within seconds. */
static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return !timed_out;
}

static void
spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
collect_cards (GtkWidget *widget,
               GPtrArray *cards)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CF_IS_JOB_CARD (child))
        g_ptr_array_add (cards, child);
      else
        collect_cards (child, cards);
    }
}

static gboolean
notification_arrived (gpointer data)
{
  guint *before = data;

  return cf_test_notifications_get_count () > *before;
}

typedef struct
{
  CfApplication   *app;
  CfWindow        *window;
  CfRunController *controller;
  char            *output_dir;
} Fixture;

/*
 * One application (and one simulator) for every test: an application
 * registers its object path on the session bus once per process.
 */
static CfApplication *
get_application (void)
{
  static CfApplication *app;
  g_autoptr(GError) error = NULL;

  if (app != NULL)
    return app;

  app = cf_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (cf_application_start_demo (app, &error));
  g_assert_no_error (error);

  return app;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = g_object_ref (get_application ());
  g_assert_true (cf_application_get_demo (fixture->app));

  fixture->window = cf_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 820);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->controller = cf_window_get_controller (fixture->window);
  fixture->output_dir = cf_demo_dup_default_output_dir ();

  /* Let the window map and lay out. */
  spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  CfWindow *window = g_steal_pointer (&fixture->window);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);

  g_clear_object (&fixture->app);
  g_clear_pointer (&fixture->output_dir, g_free);
}

static gboolean
run_ended (gpointer data)
{
  Fixture *fixture = data;

  return cf_run_controller_get_run (fixture->controller) != NULL
         && !cf_run_controller_get_running (fixture->controller);
}

static gboolean
some_take_rendering (gpointer data)
{
  Fixture *fixture = data;
  GListModel *takes = cf_run_controller_get_takes (fixture->controller);

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (takes, i);

      if (cf_take_get_state (take) == CF_TAKE_STATE_RENDERING
          || cf_take_get_state (take) == CF_TAKE_STATE_DONE)
        return TRUE;
    }

  return FALSE;
}

/* Scrolls the job grid to its last card. Conditions polled by wait_until()
 * scroll again each time: a busy window may lay the grid out again (and
 * back at the top) after the first scroll. */
static void
scroll_to_last_card (Fixture *fixture)
{
  GtkWidget *grid = cf_window_get_job_grid (fixture->window);
  guint n = g_list_model_get_n_items (cf_run_controller_get_takes (fixture->controller));

  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (cf_job_grid_get_grid_view (CF_JOB_GRID (grid))),
                                "list.scroll-to-item", "u", n - 1);
}

/* The card that shows the run's take at @position, or NULL if none does. */
static CfJobCard *
find_card (Fixture *fixture,
           guint    position)
{
  g_autoptr(CfTake) take = g_list_model_get_item (cf_run_controller_get_takes (fixture->controller),
                                                  position);
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  collect_cards (cf_window_get_job_grid (fixture->window), cards);
  for (guint i = 0; i < cards->len; i++)
    if (cf_job_card_get_take (g_ptr_array_index (cards, i)) == take)
      return g_ptr_array_index (cards, i);

  return NULL;
}

/* Scrolls to the end; whether the card of the run's first take is then
 * bound but out of sight. */
static gboolean
first_card_unmapped (gpointer data)
{
  Fixture *fixture = data;
  CfJobCard *card;

  scroll_to_last_card (fixture);
  card = find_card (fixture, 0);
  return card != NULL && !gtk_widget_get_mapped (GTK_WIDGET (card));
}

/* Whether a spinner that is not on screen (not mapped) spins under @widget. */
static gboolean
unmapped_spinner_spins (GtkWidget *widget)
{
  if (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget)))
    return !gtk_widget_get_mapped (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (unmapped_spinner_spins (child))
      return TRUE;

  return FALSE;
}

static gboolean
some_card_has_thumbnail (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  collect_cards (cf_window_get_job_grid (fixture->window), cards);
  for (guint i = 0; i < cards->len; i++)
    if (cf_job_card_has_thumbnail (g_ptr_array_index (cards, i)))
      return TRUE;

  return FALSE;
}

static gboolean
cards_caught_up (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  collect_cards (cf_window_get_job_grid (fixture->window), cards);
  for (guint i = 0; i < cards->len; i++)
    {
      CfJobCard *card = g_ptr_array_index (cards, i);
      CfTake *take = cf_job_card_get_take (card);

      /* Cards out of sight (not mapped) wait until they are scrolled to. */
      if (take != NULL && gtk_widget_get_mapped (GTK_WIDGET (card)) &&
          g_strcmp0 (cf_job_card_get_state_text (card),
                     cf_job_card_state_label (cf_take_get_state (take))) != 0)
        return FALSE;
    }
  return cards->len > 0;
}

static void
assert_cards_on_screen_done (Fixture *fixture)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  guint n_on_screen = 0;

  wait_until (cards_caught_up, fixture, 20);
  collect_cards (cf_window_get_job_grid (fixture->window), cards);
  for (guint i = 0; i < cards->len; i++)
    {
      CfJobCard *card = g_ptr_array_index (cards, i);

      if (cf_job_card_get_take (card) == NULL || !gtk_widget_get_mapped (GTK_WIDGET (card)))
        continue;
      g_assert_cmpstr (cf_job_card_get_state_text (card), ==,
                       cf_job_card_state_label (CF_TAKE_STATE_DONE));
      n_on_screen++;
    }
  g_assert_cmpuint (n_on_screen, >, 0);
}

/* Scrolls to the end; whether the run's last take then has a card on
 * screen that says it is done. */
static gboolean
last_card_mapped (gpointer data)
{
  Fixture *fixture = data;
  GListModel *takes = cf_run_controller_get_takes (fixture->controller);
  CfJobCard *card;

  scroll_to_last_card (fixture);
  card = find_card (fixture, g_list_model_get_n_items (takes) - 1);
  return card != NULL
         && gtk_widget_get_mapped (GTK_WIDGET (card))
         && g_strcmp0 (cf_job_card_get_state_text (card),
                       cf_job_card_state_label (CF_TAKE_STATE_DONE)) == 0;
}

static void
assert_all_done (Fixture *fixture,
                 guint    expected)
{
  GListModel *takes = cf_run_controller_get_takes (fixture->controller);

  g_assert_cmpuint (g_list_model_get_n_items (takes), ==, expected);

  for (guint i = 0; i < expected; i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (takes, i);
      const char *path = cf_take_get_file_path (take);
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileInfo) info = NULL;

      g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_DONE);
      g_assert_nonnull (path);
      g_assert_true (g_str_has_prefix (path, fixture->output_dir));
      g_assert_true (g_str_has_suffix (path, ".mp4"));

      file = g_file_new_for_path (path);
      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
      g_assert_nonnull (info);
      g_assert_cmpint (g_file_info_get_size (info), >, 1000);
    }

  /* The cards on screen say so too, once they have drawn a frame (a card
   * catches up with its take on the next frame; a busy machine may take a
   * while to draw one). */
  assert_cards_on_screen_done (fixture);

  /* Cards that were out of sight catch up once scrolled to. */
  g_assert_true (wait_until (last_card_mapped, fixture, 20));
  assert_cards_on_screen_done (fixture);
}

static void
test_demo_generate (Fixture       *fixture,
                    gconstpointer  data)
{
  CfScriptPanel *panel = CF_SCRIPT_PANEL (cf_window_get_script_panel (fixture->window));
  CfScript *script = cf_script_panel_get_script (panel);
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  CfJobCard *card = NULL;
  guint notifications_before;
  CfRun *run;

  /* The demo's sample script is loaded. */
  g_assert_cmpuint (cf_script_get_n_scenes (script), ==, 10);
  g_assert_false (cf_run_controller_get_running (fixture->controller));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL));
  g_assert_true (cf_run_controller_get_running (fixture->controller));
  run = cf_run_controller_get_run (fixture->controller);
  /* A second generate while running is refused, not queued. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (cf_run_controller_get_run (fixture->controller) == run);

  notifications_before = cf_test_notifications_get_count ();
  g_assert_true (wait_until (run_ended, fixture, RUN_TIMEOUT_S));
  g_assert_cmpint (cf_run_get_state (cf_run_controller_get_run (fixture->controller)), ==,
                   CF_RUN_STATE_FINISHED);
  g_assert_cmpfloat (cf_run_controller_get_fraction (fixture->controller), ==, 1.0);

  /* A user who looked elsewhere is told by a desktop notification (Xvfb has
   * no focus), which this process sees when it serves them. */
  if (!gtk_window_is_active (GTK_WINDOW (fixture->window)) && cf_test_notifications_is_owner ())
    {
      g_assert_true (wait_until (notification_arrived, &notifications_before, 10));
      g_assert_nonnull (strstr (cf_test_notifications_get_last_body (), "10 clips ready"));
    }

  assert_all_done (fixture, 10);

  /* Three accounts took part and the strip shows them. */
  g_assert_cmpuint (g_list_model_get_n_items (cf_run_controller_get_accounts (fixture->controller)), ==, 3);

  /* The log has lines. */
  g_assert_cmpuint (g_list_model_get_n_items (cf_run_controller_get_log (fixture->controller)), >, 0);

  /* A done card shows the clip's first frame, and plays it in place. */
  g_assert_true (wait_until (some_card_has_thumbnail, fixture, 30));
  collect_cards (cf_window_get_job_grid (fixture->window), cards);
  for (guint i = 0; i < cards->len && card == NULL; i++)
    if (cf_job_card_has_thumbnail (g_ptr_array_index (cards, i)))
      card = g_ptr_array_index (cards, i);
  g_assert_nonnull (card);
  cf_job_card_toggle_play (card);
  g_assert_true (cf_job_card_get_playing (card));
  cf_job_card_toggle_play (card);
  g_assert_false (cf_job_card_get_playing (card));
}

static void
test_demo_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *takes = cf_run_controller_get_takes (fixture->controller);
  GtkWidget *grid = cf_window_get_job_grid (fixture->window);
  guint n_cancelled = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL));
  g_assert_true (wait_until (some_take_rendering, fixture, RUN_TIMEOUT_S));
  /* Cards scrolled out of sight stop animating (a spinner is restyled
   * every frame). */
  g_assert_true (wait_until (first_card_unmapped, fixture, 20));
  g_assert_false (unmapped_spinner_spins (grid));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL));
  g_assert_true (wait_until (run_ended, fixture, 60));

  g_assert_cmpint (cf_run_get_state (cf_run_controller_get_run (fixture->controller)), ==,
                   CF_RUN_STATE_CANCELLED);

  /* Nothing is left moving, and not everything got done. */
  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (takes, i);
      CfTakeState state = cf_take_get_state (take);

      g_assert_true (state == CF_TAKE_STATE_DONE
                     || state == CF_TAKE_STATE_CANCELLED
                     || state == CF_TAKE_STATE_QUEUED
                     || cf_take_state_is_final (state));
      if (state != CF_TAKE_STATE_DONE)
        n_cancelled++;
    }
  g_assert_cmpuint (n_cancelled, >, 0);

  /* Generate is possible again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL));
  g_assert_true (cf_run_controller_get_running (fixture->controller));
  cf_run_controller_cancel (fixture->controller);
  g_assert_true (wait_until (run_ended, fixture, 60));
}

static void
test_demo_dead_account (Fixture       *fixture,
                        gconstpointer  data)
{
  CfDemo *demo = CF_DEMO (cf_application_get_demo_object (fixture->app));
  GPtrArray *accounts = cf_demo_get_accounts (demo);
  CfAccount *dead = g_ptr_array_index (accounts, 2);
  const char *bad_tokens[] = { "ya29.not-a-token-the-simulator-knows", NULL };
  g_auto(GStrv) good_tokens = g_strdupv ((char **) cf_account_get_tokens (dead));
  GtkWidget *strip = NULL;
  GListModel *run_accounts;
  gboolean found_out = FALSE;

  /* One of the three accounts has tokens the service refuses. */
  cf_account_set_tokens (dead, bad_tokens);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL));
  g_assert_true (wait_until (run_ended, fixture, RUN_TIMEOUT_S));

  /* The two others made every clip. */
  assert_all_done (fixture, 10);

  /* The strip says which account is out, and why. */
  run_accounts = cf_run_controller_get_accounts (fixture->controller);
  g_assert_cmpuint (g_list_model_get_n_items (run_accounts), ==, 3);

  for (GtkWidget *w = cf_window_get_job_grid (fixture->window); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkWidget *parent = gtk_widget_get_parent (w);

      for (GtkWidget *child = parent ? gtk_widget_get_first_child (parent) : NULL;
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (CF_IS_ACCOUNT_STRIP (child))
          strip = child;
      if (strip != NULL)
        break;
    }
  g_assert_nonnull (strip);
  g_assert_true (gtk_widget_get_visible (strip));

  for (guint i = 0; i < 3; i++)
    {
      CfAccountStripRow *row = CF_ACCOUNT_STRIP_ROW (cf_account_strip_get_row (CF_ACCOUNT_STRIP (strip), i));
      CfRunAccount *account = cf_account_strip_row_get_account (row);

      if (g_strcmp0 (cf_run_account_get_id (account), cf_account_get_id (dead)) == 0)
        {
          g_assert_cmpint (cf_run_account_get_health (account), ==, CF_ACCOUNT_HEALTH_OUT);
          g_assert_cmpint (cf_run_account_get_out_code (account), ==, CF_ERROR_AUTH_EXPIRED);
          g_assert_true (g_str_has_prefix (cf_account_strip_row_get_state_text (row), "Out"));
          found_out = TRUE;
        }
      else
        g_assert_cmpuint (cf_run_account_get_done (account), >, 0);
    }
  g_assert_true (found_out);

  cf_account_set_tokens (dead, (const char * const *) good_tokens);
}

static void
test_sales_script (Fixture       *fixture,
                   gconstpointer  data)
{
  CfSalesPanel *panel = CF_SALES_PANEL (cf_window_get_sales_panel (fixture->window));
  g_autoptr(CfSalesBrief) brief = cf_sales_brief_new ();
  const char *features[] = { "Keeps drinks cold for 24 hours", "Leak-proof lid", "Fits cup holders", NULL };
  g_autoptr(GError) error = NULL;

  /* An empty brief is refused with a reason, and no script appears. */
  g_assert_false (cf_sales_panel_create_script (panel, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (cf_script_get_n_scenes (cf_sales_panel_get_script (panel)), ==, 0);

  cf_sales_brief_set_product_name (brief, "Polar Flask");
  cf_sales_brief_set_description (brief, "an insulated steel bottle");
  cf_sales_brief_set_features (brief, features);
  cf_sales_brief_set_audience (brief, "hikers and commuters");
  cf_sales_brief_set_offer (brief, "20% off this week");
  cf_sales_brief_set_call_to_action (brief, "Order at polarflask.example");
  cf_sales_brief_set_style (brief, "bright, energetic, outdoors");
  cf_sales_brief_set_n_scenes (brief, 4);
  cf_sales_brief_set_aspect (brief, CF_ASPECT_PORTRAIT);
  cf_sales_panel_set_brief (panel, brief);

  cf_window_set_visible_panel (fixture->window, "sales");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "sales.create-script", NULL));
  g_assert_cmpuint (cf_script_get_n_scenes (cf_sales_panel_get_script (panel)), ==, 4);

  /* Generate Scene Videos runs the sales script like the Text to Video panel. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL));
  g_assert_true (wait_until (run_ended, fixture, RUN_TIMEOUT_S));
  assert_all_done (fixture, 4);
}

static void
collect_scene_rows (GtkWidget *widget,
                    GPtrArray *rows)
{
  if (CF_IS_SCENE_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_scene_rows (child, rows);
}

/* Drops the row at position from onto the row at position to, as the drag
 * and drop machinery does when the user lets go. */
static gboolean
drop_scene_row (GtkWidget *editor,
                guint      from,
                guint      to)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GListModel) controllers = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  gboolean accepted = FALSE;

  collect_scene_rows (editor, rows);
  g_assert_cmpuint (from, <, rows->len);
  g_assert_cmpuint (to, <, rows->len);

  controllers = gtk_widget_observe_controllers (g_ptr_array_index (rows, to));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, CF_TYPE_SCENE_ROW);
  g_value_set_object (&value, g_ptr_array_index (rows, from));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);

  return accepted;
}

static void
test_scene_editor (void)
{
  GtkWidget *editor = g_object_ref_sink (cf_scene_editor_new ());
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(CfScene) scene = cf_scene_new ("first");

  cf_script_append_scene (script, scene);
  cf_scene_editor_set_script (CF_SCENE_EDITOR (editor), script);

  /* Several pasted paragraphs are several scenes, where they were pasted. */
  g_assert_cmpuint (cf_scene_editor_insert_paragraphs (CF_SCENE_EDITOR (editor), 0,
                                                       "one\n\ntwo\n\n\nthree"), ==, 3);
  g_assert_cmpuint (cf_script_get_n_scenes (script), ==, 4);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 0)), ==, "one");
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 3)), ==, "first");
  g_assert_cmpuint (cf_scene_get_number (cf_script_get_scene (script, 3)), ==, 4);

  cf_scene_editor_move_scene (CF_SCENE_EDITOR (editor), 3, 0);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 0)), ==, "first");
  /* Out of range moves are ignored. */
  cf_scene_editor_move_scene (CF_SCENE_EDITOR (editor), 0, 9);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 0)), ==, "first");

  /* Drag and drop: the dropped scene takes the place of the one under it. */
  g_assert_true (drop_scene_row (editor, 2, 0));
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 0)), ==, "two");
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 1)), ==, "first");
  g_assert_true (drop_scene_row (editor, 0, 3));
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 3)), ==, "two");
  g_assert_cmpuint (cf_scene_get_number (cf_script_get_scene (script, 3)), ==, 4);
  /* A row dropped on itself moves nothing. */
  g_assert_false (drop_scene_row (editor, 1, 1));

  cf_scene_editor_remove_scene (CF_SCENE_EDITOR (editor), 0);
  g_assert_cmpuint (cf_script_get_n_scenes (script), ==, 3);
  cf_scene_editor_add_scene (CF_SCENE_EDITOR (editor));
  g_assert_cmpuint (cf_script_get_n_scenes (script), ==, 4);

  g_assert_finalize_object (editor);
}

static void
test_panels_finalize (void)
{
  GtkWidget *script_panel = g_object_ref_sink (cf_script_panel_new ());
  GtkWidget *sales_panel = g_object_ref_sink (cf_sales_panel_new ());
  GtkWidget *grid = g_object_ref_sink (cf_job_grid_new ());
  GtkWidget *log_pane = g_object_ref_sink (cf_log_pane_new ());
  GtkWidget *strip = g_object_ref_sink (cf_account_strip_new ());

  g_assert_finalize_object (script_panel);
  g_assert_finalize_object (sales_panel);
  g_assert_finalize_object (grid);
  g_assert_finalize_object (log_pane);
  g_assert_finalize_object (strip);
}

static GtkListView *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *found = GTK_IS_LIST_VIEW (child) ? GTK_LIST_VIEW (child) : find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A closed log pane gives its list view no lines to build rows for; an
 * open one shows them all; the text is there either way. */
static void
test_log_pane (void)
{
  GtkWidget *pane = g_object_ref_sink (cf_log_pane_new ());
  g_autoptr(GListStore) lines = g_list_store_new (CF_TYPE_LOG_LINE);
  GtkListView *list_view = find_list_view (pane);
  g_autofree char *text = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *message = g_strdup_printf ("line %u", i);
      g_autoptr(CfLogLine) line = cf_log_line_new (NULL, message);

      g_list_store_append (lines, line);
    }
  cf_log_pane_set_model (CF_LOG_PANE (pane), G_LIST_MODEL (lines));
  g_assert_nonnull (list_view);
  g_assert_null (gtk_list_view_get_model (list_view));

  cf_log_pane_set_expanded (CF_LOG_PANE (pane), TRUE);
  g_assert_nonnull (gtk_list_view_get_model (list_view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list_view))), ==, 3);

  /* Not on screen, the revealer closes at once. */
  cf_log_pane_set_expanded (CF_LOG_PANE (pane), FALSE);
  g_assert_null (gtk_list_view_get_model (list_view));

  text = cf_log_pane_dup_text (CF_LOG_PANE (pane));
  g_assert_nonnull (strstr (text, "line 2"));
  g_assert_finalize_object (pane);
}

int
main (int   argc,
      char *argv[])
{
  /* A UTF-8 locale, in which gettext honours LANGUAGE (it does not in "C"). */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");

  /*
   * GTK first, while XDG_DATA_DIRS is still the system's: the icon theme and
   * the MIME database (which tells an SVG icon from a PNG) are read once,
   * and the isolated dirs of each test have neither.
   */
  /* Xvfb's software GL gives the video sink black frames; the thumbnails
   * (and the screenshots) are read from memory instead. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  cf_test_notifications_start ();

  gtk_disable_setlocale ();
  gtk_init ();
  adw_init ();
  gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ui/scene-editor", test_scene_editor);
  g_test_add_func ("/ui/panels-finalize", test_panels_finalize);
  g_test_add_func ("/ui/log-pane", test_log_pane);
  g_test_add ("/ui/demo/generate", Fixture, NULL, fixture_set_up, test_demo_generate, fixture_tear_down);
  g_test_add ("/ui/demo/cancel", Fixture, NULL, fixture_set_up, test_demo_cancel, fixture_tear_down);
  g_test_add ("/ui/demo/dead-account", Fixture, NULL, fixture_set_up, test_demo_dead_account, fixture_tear_down);
  g_test_add ("/ui/demo/sales", Fixture, NULL, fixture_set_up, test_sales_script, fixture_tear_down);

  return g_test_run ();
}
