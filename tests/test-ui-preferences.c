/* test-ui-preferences.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cf-account-editor.h"
#include "cf-account-row.h"
#include "cf-account-store.h"
#include "cf-file-secret-store.h"
#include "cf-keyring-fixture.h"
#include "cf-keyring-secret-store.h"
#include "cf-preferences-window.h"

#define TOKEN_1 "ya29.prefs-test-SECRET-7d1f0c"
#define TOKEN_2 "ya29.prefs-test-SECRET-93ab42"
#define PROJECT "87b19267-13d6-49cd-a7ed-db19a90c9339"

/* The same item shape as CfKeyringSecretStore's, read through libsecret's
 * own API so that the check does not go through the code it checks. */
static const SecretSchema account_schema = {
  "io.github.clipfleet.Clipfleet.Account", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* Helpers */

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (title == NULL ||
           (ADW_IS_PREFERENCES_ROW (child) &&
            g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)))
        return child;

      found = find_widget (child, type, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  GtkWidget *row = find_widget (root, type, title);

  if (row == NULL)
    g_error ("No %s titled “%s”", g_type_name (type), title);

  return row;
}

static GtkWidget *
find_spin_in_row (GtkWidget  *root,
                  const char *title)
{
  GtkWidget *spin = find_widget (find_row (root, ADW_TYPE_ACTION_ROW, title),
                                 GTK_TYPE_SPIN_BUTTON, NULL);

  g_assert_nonnull (spin);
  return spin;
}

static void
set_text (GtkWidget  *root,
          GType       type,
          const char *title,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (root, type, title)), text);
}

static void
iterate_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
}

/* Waits for the window to be drawn twice: once is not enough for the
 * layout that a first frame's allocation changes. */
static void
wait_for_frames (GtkWidget *widget,
                 guint      n_frames)
{
  GdkFrameClock *clock;

  while (!gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (widget);
  for (guint i = 0; i < n_frames; i++)
    {
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      gulong id;

      id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (quit_loop_cb), loop);
      gtk_widget_queue_draw (widget);
      g_main_loop_run (loop);
      g_signal_handler_disconnect (clock, id);
    }

  iterate_until_idle ();
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");
  int width, height;

  wait_for_frames (window, 3);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  dir = g_build_filename (builddir != NULL ? builddir : g_get_tmp_dir (), "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("Screenshot: %s", path);
}

static GtkWidget *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item))
        return GTK_WIDGET (item);
    }

  return NULL;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  /* Byte by byte: the keyring's files hold NUL bytes that strstr stops at. */
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    {
      if (memcmp (contents + i, needle, strlen (needle)) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Every regular file under dir that contains needle, as a list of paths. */
static void
collect_files_containing (const char *dir,
                          const char *needle,
                          GPtrArray  *found,
                          guint      *n_files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_files_containing (path, needle, found, n_files);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          (*n_files)++;
          if (file_contains (path, needle))
            g_ptr_array_add (found, g_steal_pointer (&path));
        }
    }
}

static void
assert_in_no_file (const char *needle)
{
  const char *dirs[] = {
    g_get_home_dir (),
    g_get_user_config_dir (),
    g_get_user_data_dir (),
    g_get_user_cache_dir (),
    g_get_user_state_dir (),
    g_get_user_runtime_dir (),
  };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    collect_files_containing (dirs[i], needle, found, &n_files);

  for (guint i = 0; i < found->len; i++)
    g_test_message ("A secret was found in %s", (char *)g_ptr_array_index (found, i));

  /* accounts.json and the keyring file at least: the scan did look. */
  g_assert_cmpuint (n_files, >=, 2);
  g_assert_cmpuint (found->len, ==, 0);
}

static CfAccountStore *
new_file_store (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "clipfleet", NULL);
  g_autofree char *secrets_path = g_build_filename (config_dir, "secrets.json", NULL);
  g_autoptr(CfSecretStore) secrets = cf_file_secret_store_new (secrets_path);

  return cf_account_store_new (config_dir, secrets);
}

static CfAccount *
new_labs_account (const char *name,
                  const char *project,
                  guint       n_tokens)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) tokens = NULL;

  for (guint i = 0; i < n_tokens; i++)
    {
      g_autofree char *token = g_strdup_printf ("ya29.sample-%s-%u", name, i);

      g_strv_builder_add (builder, token);
    }
  tokens = g_strv_builder_end (builder);

  cf_account_set_project_id (account, project);
  cf_account_set_tokens (account, (const char * const *)tokens);

  return g_steal_pointer (&account);
}

static void
close_and_assert_finalized (GtkWidget *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_until_idle ();
  g_assert_finalize_object (window);
}

/* Tests */

/*
 * Adds a Labs account with two tokens through the editor, as a user would,
 * then reads the tokens back from the Secret Service and proves that no
 * file under the test's HOME and XDG dirs holds them.
 */
static void
test_add_account_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfKeyringFixture) fixture = NULL;
  g_autoptr(CfSecretStore) secrets = NULL;
  g_autoptr(CfAccountStore) store = NULL;
  g_autoptr(CfAccount) account = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *accounts_json = NULL;
  g_auto(GStrv) read_back = NULL;
  GtkWidget *window;
  GtkWidget *editor;
  GtkWidget *token_row;

  fixture = cf_keyring_fixture_start (&error);
  if (fixture == NULL)
    {
      g_autofree char *why = g_strdup_printf ("No gnome-keyring for the test: %s", error->message);

      g_test_skip (why);
      return;
    }

  secrets = cf_keyring_secret_store_new ();
  store = cf_account_store_new (NULL, secrets);
  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  g_assert_true (gtk_widget_activate_action (window, "prefs.add-account", NULL));
  editor = cf_preferences_window_get_editor (CF_PREFERENCES_WINDOW (window));
  g_assert_true (CF_IS_ACCOUNT_EDITOR (editor));
  g_assert_null (cf_account_editor_get_account (CF_ACCOUNT_EDITOR (editor)));

  /* Nothing typed yet: saving is not possible. */
  gtk_widget_activate_action (editor, "editor.save", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  set_text (editor, ADW_TYPE_ENTRY_ROW, "Name", "  Studio  ");
  set_text (editor, ADW_TYPE_ENTRY_ROW, "Project ID", PROJECT);
  /* A token pasted from a browser's headers keeps its "Bearer " prefix. */
  set_text (editor, ADW_TYPE_PASSWORD_ENTRY_ROW, "Token 1", "Bearer " TOKEN_1);
  g_assert_true (gtk_widget_activate_action (editor, "editor.add-token", NULL));
  token_row = find_row (editor, ADW_TYPE_PASSWORD_ENTRY_ROW, "Token 2");
  gtk_editable_set_text (GTK_EDITABLE (token_row), TOKEN_2 "\n");

  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  iterate_until_idle ();

  /* The page closed and the list has the account. */
  g_assert_null (cf_preferences_window_get_editor (CF_PREFERENCES_WINDOW (window)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Studio");
  g_assert_cmpstr (cf_account_get_project_id (account), ==, PROJECT);
  g_assert_cmpuint (cf_account_get_n_tokens (account), ==, 2);
  g_assert_cmpstr (cf_account_get_tokens (account)[0], ==, TOKEN_1);
  g_assert_cmpstr (cf_account_get_tokens (account)[1], ==, TOKEN_2);
  g_assert_true (CF_IS_ACCOUNT_ROW (find_widget (window, CF_TYPE_ACCOUNT_ROW, "Studio")));

  /* The Secret Service has the tokens, read with libsecret directly... */
  stored = secret_password_lookup_sync (&account_schema, NULL, &error,
                                        "account-id", cf_account_get_id (account),
                                        NULL);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_nonnull (strstr (stored, TOKEN_1));
  g_assert_nonnull (strstr (stored, TOKEN_2));

  /* ...and through the secret store interface, in their order. */
  read_back = cf_secret_store_lookup (secrets, cf_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (read_back), ==, 2);
  g_assert_cmpstr (read_back[0], ==, TOKEN_1);
  g_assert_cmpstr (read_back[1], ==, TOKEN_2);

  /* The account's other fields went to accounts.json, the tokens did not. */
  accounts_json = g_build_filename (cf_account_store_get_config_dir (store), "accounts.json", NULL);
  g_assert_true (file_contains (accounts_json, "Studio"));
  g_assert_true (file_contains (accounts_json, PROJECT));
  assert_in_no_file (TOKEN_1);
  assert_in_no_file (TOKEN_2);
  assert_in_no_file ("prefs-test-SECRET");

  close_and_assert_finalized (window);

  g_clear_object (&account);
  g_clear_object (&store);
  g_clear_object (&secrets);
}

/* Editing renames and removing asks first, then deletes the secrets too. */
static void
test_edit_and_remove (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(CfAccount) account = new_labs_account ("Alpha", PROJECT, 1);
  g_autoptr(CfAccount) other = new_labs_account ("Beta", PROJECT, 1);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) secrets_left = NULL;
  GtkWidget *window;
  GtkWidget *editor;
  GtkWidget *name_row;
  GtkWidget *dialog;

  cf_account_store_add (store, account);
  cf_account_store_add (store, other);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);

  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  g_assert_true (gtk_widget_activate_action (window, "prefs.edit-account", "s",
                                             cf_account_get_id (account)));
  editor = cf_preferences_window_get_editor (CF_PREFERENCES_WINDOW (window));
  g_assert_true (cf_account_editor_get_account (CF_ACCOUNT_EDITOR (editor)) == account);

  /* The fields show the account, its token included (for editing). */
  name_row = find_row (editor, ADW_TYPE_ENTRY_ROW, "Name");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Alpha");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (editor, ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                                   "Token 1"))),
                   ==, "ya29.sample-Alpha-0");

  /* Another account's name is refused. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Beta");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  gtk_widget_activate_action (editor, "editor.save", NULL);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Alpha");
  g_assert_true (cf_preferences_window_get_editor (CF_PREFERENCES_WINDOW (window)) == editor);

  /* A name is text, not markup: it shows (and toasts) as it is written. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "R&D <Gamma>");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  wait_for_frames (window, 2);
  g_assert_cmpstr (cf_account_get_name (account), ==, "R&D <Gamma>");
  g_assert_null (cf_preferences_window_get_editor (CF_PREFERENCES_WINDOW (window)));
  g_assert_nonnull (find_widget (window, CF_TYPE_ACCOUNT_ROW, "R&D <Gamma>"));

  /* Remove: a confirmation first; cancelling keeps the account. */
  g_assert_true (gtk_widget_activate_action (window, "prefs.remove-account", "s",
                                             cf_account_get_id (account)));
  iterate_until_idle ();
  dialog = find_message_dialog ();
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  iterate_until_idle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  g_assert_true (gtk_widget_activate_action (window, "prefs.remove-account", "s",
                                             cf_account_get_id (account)));
  iterate_until_idle ();
  dialog = find_message_dialog ();
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  iterate_until_idle ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_null (cf_account_store_find (store, cf_account_get_id (account)));
  g_assert_null (find_widget (window, CF_TYPE_ACCOUNT_ROW, "R&D <Gamma>"));
  secrets_left = cf_secret_store_lookup (cf_account_store_get_secret_store (store),
                                         cf_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (secrets_left), ==, 0);

  close_and_assert_finalized (window);
}

/* The enable switch changes the account and is saved at once. */
static void
test_enable_switch (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(CfAccountStore) reloaded = new_file_store ();
  g_autoptr(CfAccount) account = new_labs_account ("Alpha", PROJECT, 2);
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *row;
  GtkWidget *sw;

  cf_account_store_add (store, account);
  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  row = find_row (window, CF_TYPE_ACCOUNT_ROW, "Alpha");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "2 tokens"));
  /* The summary never shows a token. */
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "ya29"));

  sw = find_widget (row, GTK_TYPE_SWITCH, NULL);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_false (cf_account_get_enabled (account));

  g_assert_true (cf_account_store_load (reloaded, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_false (cf_account_get_enabled (cf_account_store_find (reloaded, "Alpha")));

  /* And the other way: the account changed elsewhere moves the switch. */
  cf_account_set_enabled (account, TRUE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));

  close_and_assert_finalized (window);
}

/* The defaults are bound to GSettings both ways. */
static void
test_defaults_bound (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;
  GtkWidget *aspect_row;
  GtkWidget *strategy_row;
  GtkWidget *model_row;
  GListModel *models;
  g_autofree char *last_label = NULL;

  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  /* Settings to widgets. */
  g_settings_set_int (settings, "takes-per-scene", 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (find_spin_in_row (window, "Takes per Scene"))),
                   ==, 3);
  g_settings_set_int (settings, "poll-interval-ms", 2500);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_spin_in_row (window, "Poll Interval"))),
                     ==, 2.5);
  g_settings_set_string (settings, "aspect", "9:16");
  aspect_row = find_row (window, ADW_TYPE_COMBO_ROW, "Aspect Ratio");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (aspect_row)), ==, 1);

  /* Widgets to settings. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_spin_in_row (window, "Takes in Flight per Account")), 7);
  g_assert_cmpint (g_settings_get_int (settings, "max-in-flight"), ==, 7);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_spin_in_row (window, "Poll Interval")), 12.5);
  g_assert_cmpint (g_settings_get_int (settings, "poll-interval-ms"), ==, 12500);
  adw_combo_row_set_selected (ADW_COMBO_ROW (aspect_row), 2);
  {
    g_autofree char *aspect = g_settings_get_string (settings, "aspect");
    g_assert_cmpstr (aspect, ==, "1:1");
  }
  strategy_row = find_row (window, ADW_TYPE_COMBO_ROW, "Balancing");
  adw_combo_row_set_selected (ADW_COMBO_ROW (strategy_row), 1);
  {
    g_autofree char *strategy = g_settings_get_string (settings, "strategy");
    g_assert_cmpstr (strategy, ==, "round-robin");
  }

  /* A model key the list does not know is kept and shown as it is. */
  model_row = find_row (window, ADW_TYPE_COMBO_ROW, "Labs Flow Model");
  g_settings_set_string (settings, "model", "veo_9_custom");
  models = adw_combo_row_get_model (ADW_COMBO_ROW (model_row));
  last_label = g_strdup (gtk_string_list_get_string (GTK_STRING_LIST (models),
                                                     g_list_model_get_n_items (models) - 1));
  g_assert_cmpstr (last_label, ==, "veo_9_custom");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (model_row)), ==,
                    g_list_model_get_n_items (models) - 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (model_row), 1);
  {
    g_autofree char *model = g_settings_get_string (settings, "model");
    g_assert_cmpstr (model, ==, "veo_3_1_t2v");
  }

  /* The output folder: empty means the default one, shown as such. */
  {
    GtkWidget *output_row = find_row (window, ADW_TYPE_ACTION_ROW, "Output Folder");
    g_autofree char *folder = g_build_filename (g_get_home_dir (), "Clips", NULL);

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (output_row)), "Clipfleet"));
    g_settings_set_string (settings, "output-folder", folder);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (output_row)), ==, "~/Clips");
    g_assert_true (gtk_widget_activate_action (window, "prefs.reset-output-folder", NULL));
    g_free (folder);
    folder = g_settings_get_string (settings, "output-folder");
    g_assert_cmpstr (folder, ==, "");
  }

  close_and_assert_finalized (window);

  g_settings_reset (settings, "takes-per-scene");
  g_settings_reset (settings, "poll-interval-ms");
  g_settings_reset (settings, "aspect");
  g_settings_reset (settings, "max-in-flight");
  g_settings_reset (settings, "strategy");
  g_settings_reset (settings, "model");
}

/* Test on an account the service refuses: the row says so, and the main
 * loop keeps running while the check is made in a thread. */
static void
test_test_button_failure (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(CfAccount) account = new_labs_account ("Alpha", PROJECT, 1);
  g_autoptr(CfEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  CfAccountRow *row;

  /* Port 9 on loopback: nothing listens, the connection is refused at once. */
  endpoints = cf_endpoints_new_for_origin ("http://127.0.0.1:9", &error);
  g_assert_no_error (error);

  cf_account_store_add (store, account);
  window = cf_preferences_window_new (NULL, store, endpoints);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  row = CF_ACCOUNT_ROW (find_row (window, CF_TYPE_ACCOUNT_ROW, "Alpha"));
  g_assert_true (gtk_widget_activate_action (window, "prefs.test-account", "s",
                                             cf_account_get_id (account)));
  g_assert_cmpint (cf_account_row_get_test_state (row), ==, CF_ACCOUNT_ROW_TEST_RUNNING);

  while (cf_account_row_get_test_state (row) == CF_ACCOUNT_ROW_TEST_RUNNING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (cf_account_row_get_test_state (row), ==, CF_ACCOUNT_ROW_TEST_FAILED);

  close_and_assert_finalized (window);
}

/* An account without its secrets fails its test at once, without a call. */
static void
test_test_button_unusable (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(CfAccount) account = new_labs_account ("Empty", PROJECT, 0);
  GtkWidget *window;
  CfAccountRow *row;

  cf_account_store_add (store, account);
  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  row = CF_ACCOUNT_ROW (find_row (window, CF_TYPE_ACCOUNT_ROW, "Empty"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "no token"));
  g_assert_true (gtk_widget_activate_action (window, "prefs.test-account", "s",
                                             cf_account_get_id (account)));
  g_assert_cmpint (cf_account_row_get_test_state (row), ==, CF_ACCOUNT_ROW_TEST_FAILED);

  close_and_assert_finalized (window);
}

/* Closing the preferences while a test runs does not wait for it. */
static void
test_close_during_test (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(CfAccount) account = new_labs_account ("Alpha", PROJECT, 1);
  g_autoptr(CfEndpoints) endpoints = NULL;
  GtkWidget *window;

  /* A non-routable address: the check would hang until cancelled. */
  endpoints = cf_endpoints_new_for_origin ("http://10.255.255.1:81", NULL);
  cf_account_store_add (store, account);
  window = cf_preferences_window_new (NULL, store, endpoints);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  g_assert_true (gtk_widget_activate_action (window, "prefs.test-account", "s",
                                             cf_account_get_id (account)));
  close_and_assert_finalized (window);
}

/* Import from the replaced app's config.json, through the code the file
 * chooser's answer runs. */
static void
test_import_legacy (void)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autoptr(CfAccountStore) reloaded = new_file_store ();
  g_autofree char *path = g_build_filename (g_get_home_dir (), "old-config.json", NULL);
  g_autoptr(GError) error = NULL;
  const char *json =
    "{ \"labs_accounts\": ["
    "  { \"name\": \"Old-1\", \"project_id\": \"" PROJECT "\", \"tokens\": [\"ya29.old-1\"], \"enabled\": true },"
    "  { \"name\": \"Old-2\", \"project_id\": \"" PROJECT "\", \"tokens\": [\"ya29.old-2\"], \"enabled\": false }"
    "] }";
  GtkWidget *window;

  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, json, -1, &error));
  g_assert_no_error (error);

  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  g_assert_true (gtk_widget_activate_action (window, "prefs.import-path", "s", path));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_nonnull (find_widget (window, CF_TYPE_ACCOUNT_ROW, "Old-1"));
  g_assert_nonnull (find_widget (window, CF_TYPE_ACCOUNT_ROW, "Old-2"));

  /* Saved at once, secrets included. */
  g_assert_true (cf_account_store_load (reloaded, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  g_assert_cmpstr (cf_account_get_tokens (cf_account_store_find (reloaded, "Old-2"))[0], ==,
                   "ya29.old-2");

  /* A second import of the same file adds nothing. */
  g_assert_true (gtk_widget_activate_action (window, "prefs.import-path", "s", path));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  /* A broken file adds nothing either, and the window stays usable. */
  g_assert_true (g_file_set_contents (path, "{ not json", -1, &error));
  g_assert_true (gtk_widget_activate_action (window, "prefs.import-path", "s", path));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  close_and_assert_finalized (window);
}

/* Screenshots */

static void
fill_screenshot_store (CfAccountStore *store)
{
  g_autoptr(CfAccount) a = new_labs_account ("Studio", PROJECT, 2);
  g_autoptr(CfAccount) b = new_labs_account ("Marketing", "4f0c2a91-77d2-4e3b-9a0e-1c5be1f3d2a7", 1);
  g_autoptr(CfAccount) c = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Gemini Paid");

  cf_account_set_api_key (c, "AIzaSample");
  cf_account_set_enabled (b, FALSE);
  cf_account_store_add (store, a);
  cf_account_store_add (store, b);
  cf_account_store_add (store, c);
}

static void
take_screenshots (const char *lang)
{
  g_autoptr(CfAccountStore) store = new_file_store ();
  g_autofree char *name = NULL;
  GtkWidget *window;
  CfAccountRow *row;
  CfAccount *account;

  fill_screenshot_store (store);
  window = cf_preferences_window_new (NULL, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 680, 640);
  gtk_window_present (GTK_WINDOW (window));

  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  row = CF_ACCOUNT_ROW (find_row (window, CF_TYPE_ACCOUNT_ROW, cf_account_get_name (account)));
  cf_account_row_set_test_state (row, CF_ACCOUNT_ROW_TEST_PASSED, NULL);
  g_object_unref (account);

  name = g_strdup_printf ("preferences-accounts-%s.png", lang);
  save_screenshot (window, name);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "defaults");
  g_free (name);
  name = g_strdup_printf ("preferences-defaults-%s.png", lang);
  save_screenshot (window, name);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "accounts");
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  gtk_widget_activate_action (window, "prefs.edit-account", "s", cf_account_get_id (account));
  g_object_unref (account);
  g_free (name);
  name = g_strdup_printf ("preferences-editor-%s.png", lang);
  save_screenshot (window, name);

  close_and_assert_finalized (window);
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

  /* setlocale() again makes gettext forget the English it has cached. */
  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "");
  g_assert_cmpstr (_("Preferences"), !=, "Preferences");

  take_screenshots ("vi");

  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
}

int
main (int   argc,
      char *argv[])
{
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");

  /* A UTF-8 locale, in which gettext honours LANGUAGE (it does not in "C"). */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");

  if (builddir != NULL)
    {
      g_autofree char *localedir = g_build_filename (builddir, "po", NULL);
      bindtextdomain (GETTEXT_PACKAGE, localedir);
    }
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /*
   * GTK first, while XDG_DATA_DIRS is still the system's: the icon theme and
   * the MIME database (which tells an SVG icon from a PNG) read it once, and
   * the isolated dirs of each test have neither.
   */
  gtk_disable_setlocale ();
  /*
   * libadwaita looks for the settings portal on the session bus when it
   * starts; an address nobody listens on keeps it (and X11's autolaunch)
   * from opening the process's shared session connection, which must be the
   * keyring fixture's private bus in the test that starts one.
   */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/clipfleet-test-bus", TRUE);
  gtk_init ();
  adw_init ();
  gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ui/preferences/add-account-keyring", test_add_account_keyring);
  g_test_add_func ("/ui/preferences/edit-and-remove", test_edit_and_remove);
  g_test_add_func ("/ui/preferences/enable-switch", test_enable_switch);
  g_test_add_func ("/ui/preferences/defaults-bound", test_defaults_bound);
  g_test_add_func ("/ui/preferences/test-button-failure", test_test_button_failure);
  g_test_add_func ("/ui/preferences/test-button-unusable", test_test_button_unusable);
  g_test_add_func ("/ui/preferences/close-during-test", test_close_during_test);
  g_test_add_func ("/ui/preferences/import-legacy", test_import_legacy);
  g_test_add_func ("/ui/preferences/screenshots-en", test_screenshots_english);
  g_test_add_func ("/ui/preferences/screenshots-vi", test_screenshots_vietnamese);

  return g_test_run ();
}
