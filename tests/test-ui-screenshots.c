/* test-ui-screenshots.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Screenshots for review, in English and Vietnamese: the main window during
 * and after a demo run, and the Sales Video panel with a script. They are
 * saved under $CLIPFLEET_BUILDDIR/screenshots/.
 */

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cf-application.h"
#include "cf-job-card.h"
#include "cf-run-controller.h"
#include "cf-sales-panel.h"
#include "cf-screenshot.h"
#include "cf-test-notifications.h"
#include "cf-window.h"

#define RUN_TIMEOUT_S 150

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

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
save (GtkWidget  *widget,
      const char *name,
      const char *lang)
{
  g_autofree char *base = g_strdup_printf ("%s-%s", name, lang);
  g_autofree char *path = cf_screenshot_dup_path (base);
  g_autoptr(GError) error = NULL;

  /* A window just presented on a busy machine may take seconds to map. */
  for (guint waited = 0; !gtk_widget_get_mapped (widget) && waited < 20000; waited += 100)
    spin (100);

  /* Let pending layout and frames settle; a frame in the middle of being
   * drawn yields nothing, so try again a few times. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_clear_error (&error);
      spin (300);
      if (cf_screenshot_save (widget, path, &error))
        break;
    }
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("Saved %s", path);
}

static gboolean
half_done (gpointer data)
{
  CfRunController *controller = data;
  CfRun *run = cf_run_controller_get_run (controller);

  return run != NULL && cf_run_get_n_done (run) >= 3;
}

static gboolean
run_ended (gpointer data)
{
  CfRunController *controller = data;

  return cf_run_controller_get_run (controller) != NULL
         && !cf_run_controller_get_running (controller);
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
thumbnails_shown (gpointer data)
{
  CfWindow *window = data;
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  guint shown = 0;

  collect_cards (cf_window_get_job_grid (window), cards);
  for (guint i = 0; i < cards->len; i++)
    if (cf_job_card_has_thumbnail (g_ptr_array_index (cards, i)))
      shown++;

  return cards->len > 0 && shown == cards->len;
}

static void
fill_brief (CfSalesPanel *panel,
            gboolean      vietnamese)
{
  g_autoptr(CfSalesBrief) brief = cf_sales_brief_new ();
  const char *features_en[] = { "Keeps drinks cold for 24 hours", "Leak-proof lid", "Fits every cup holder", NULL };
  const char *features_vi[] = { "Giữ lạnh 24 giờ", "Nắp chống tràn", "Vừa mọi giá để cốc", NULL };

  cf_sales_brief_set_product_name (brief, vietnamese ? "Bình giữ nhiệt Polar" : "Polar Flask");
  cf_sales_brief_set_description (brief, vietnamese ? "bình thép không gỉ giữ nhiệt" : "an insulated steel bottle");
  cf_sales_brief_set_features (brief, vietnamese ? features_vi : features_en);
  cf_sales_brief_set_audience (brief, vietnamese ? "dân văn phòng và người đi phượt" : "hikers and commuters");
  cf_sales_brief_set_offer (brief, vietnamese ? "Giảm 20% tuần này" : "20% off this week");
  cf_sales_brief_set_call_to_action (brief, vietnamese ? "Đặt hàng ngay hôm nay" : "Order today at polarflask.example");
  cf_sales_brief_set_style (brief, vietnamese ? "tươi sáng, năng động" : "bright, energetic, outdoors");
  cf_sales_brief_set_n_scenes (brief, 5);
  cf_sales_brief_set_aspect (brief, CF_ASPECT_PORTRAIT);
  cf_sales_panel_set_brief (panel, brief);
}

static void
take_screenshots (const char *lang)
{
  CfApplication *app = get_application ();
  CfWindow *window = cf_window_new (app);
  CfRunController *controller = cf_window_get_controller (window);
  CfSalesPanel *sales = CF_SALES_PANEL (cf_window_get_sales_panel (window));

  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 860);
  gtk_window_present (GTK_WINDOW (window));
  spin (500);

  save (GTK_WIDGET (window), "main-ready", lang);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  g_assert_true (wait_until (half_done, controller, RUN_TIMEOUT_S));
  save (GTK_WIDGET (window), "main-running", lang);

  g_assert_true (wait_until (run_ended, controller, RUN_TIMEOUT_S));
  wait_until (thumbnails_shown, window, 30);
  save (GTK_WIDGET (window), "main-done", lang);

  cf_window_set_visible_panel (window, "sales");
  fill_brief (sales, g_str_equal (lang, "vi"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sales), "sales.create-script", NULL));
  save (GTK_WIDGET (window), "sales", lang);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

static void
test_screenshots_english (void)
{
  take_screenshots ("en");
}

static void
test_screenshots_vietnamese (void)
{
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");
  g_autofree char *mo = NULL;

  if (builddir == NULL)
    {
      g_test_skip ("CLIPFLEET_BUILDDIR is not set");
      return;
    }

  mo = g_build_filename (builddir, "po", "vi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_autofree char *why = g_strdup_printf ("%s is not built", mo);

      g_test_skip (why);
      return;
    }

  /* setlocale() again makes gettext forget the English it has cached;
   * glibc keeps plural lookups in a cache of its own, which the counter
   * below invalidates (the GNU gettext manual's way to change the language
   * of a running program). */
  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "");
#ifdef __GLIBC__
  {
    extern int _nl_msg_cat_cntr;

    ++_nl_msg_cat_cntr;
  }
#endif

  take_screenshots ("vi");

  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
}

int
main (int   argc,
      char *argv[])
{
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");

  if (builddir != NULL)
    {
      g_autofree char *localedir = g_build_filename (builddir, "po", NULL);

      bindtextdomain (GETTEXT_PACKAGE, localedir);
    }
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

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

  g_test_add_func ("/ui/screenshots/en", test_screenshots_english);
  g_test_add_func ("/ui/screenshots/vi", test_screenshots_vietnamese);

  return g_test_run ();
}
