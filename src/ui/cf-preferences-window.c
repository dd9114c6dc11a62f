/* cf-preferences-window.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-account-editor.h"
#include "cf-account-row.h"
#include "cf-error.h"
#include "cf-preferences-window.h"
#include "cf-provider.h"

/*
 * A model choice: the service's key and the name shown for it. The lists are
 * what the protocol documents name; a key set elsewhere (the command line,
 * dconf) that is not among them is appended as it is, never lost.
 */
typedef struct
{
  const char *key;
  const char *label;
} CfModelChoice;

static const CfModelChoice labs_models[] = {
  { "veo_3_1_t2v_fast", N_("Veo 3.1 Fast") },
  { "veo_3_1_t2v", N_("Veo 3.1 Quality") },
  { "veo_3_1_t2v_lite", N_("Veo 3.1 Lite") },
  { "veo_3_1_t2v_fast_ultra", N_("Veo 3.1 Fast (Ultra plan)") },
};

static const CfModelChoice gemini_models[] = {
  { "veo-3.1-fast-generate-preview", N_("Veo 3.1 Fast (preview)") },
  { "veo-3.1-generate-preview", N_("Veo 3.1 (preview)") },
  { "veo-3.1-lite-generate-preview", N_("Veo 3.1 Lite (preview)") },
  { "veo-3.0-fast-generate-001", N_("Veo 3 Fast") },
  { "veo-3.0-generate-001", N_("Veo 3") },
  { "veo-2.0-generate-001", N_("Veo 2") },
};

static const char * const aspect_keys[] = { "16:9", "9:16", "1:1", NULL };
static const char * const strategy_keys[] = { "dynamic", "round-robin", NULL };

/* What a combo row shows (labels) and stores (keys), index by index. */
typedef struct
{
  GtkStringList *labels;
  GPtrArray     *keys;
} CfChoiceList;

struct _CfPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  CfAccountStore       *store;
  CfEndpoints          *endpoints;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkNativeDialog      *chooser;
  GtkWidget            *editor;
  CfChoiceList          labs_choices;
  CfChoiceList          gemini_choices;

  AdwPreferencesPage   *accounts_page;
  AdwPreferencesPage   *defaults_page;
  GtkListBox           *accounts_list;
  AdwActionRow         *output_row;
  GtkWidget            *reset_folder_button;
  AdwComboRow          *model_row;
  AdwComboRow          *gemini_model_row;
  AdwComboRow          *aspect_row;
  GtkSpinButton        *takes_spin;
  AdwComboRow          *strategy_row;
  GtkSpinButton        *in_flight_spin;
  GtkSpinButton        *poll_spin;
};

G_DEFINE_FINAL_TYPE (CfPreferencesWindow, cf_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ENDPOINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A toast's title is Pango markup; names, paths and errors are plain text. */
static void
cf_preferences_window_toast (CfPreferencesWindow *self,
                             const char          *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

static CfAccountRow *
cf_preferences_window_find_row (CfPreferencesWindow *self,
                                const char          *account_id)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->accounts_list, i)); i++)
    {
      CfAccount *account;

      if (!CF_IS_ACCOUNT_ROW (row))
        continue;

      account = cf_account_row_get_account (CF_ACCOUNT_ROW (row));
      if (g_strcmp0 (cf_account_get_id (account), account_id) == 0)
        return CF_ACCOUNT_ROW (row);
    }

  return NULL;
}

/*
 * Saving writes the secrets through libsecret's synchronous calls. They take
 * a few milliseconds with a running keyring and happen only on the user's
 * explicit changes, so the main loop is not held long enough to matter.
 */
static gboolean
cf_preferences_window_save (CfPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!cf_account_store_save (self->store, NULL, &error))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The accounts could not be saved: %s"), error->message);
      cf_preferences_window_toast (self, message);
      return FALSE;
    }

  return TRUE;
}

static void
cf_preferences_window_enabled_changed_cb (CfAccount    *account,
                                          GParamSpec   *pspec,
                                          CfAccountRow *row)
{
  GtkWidget *self = gtk_widget_get_ancestor (GTK_WIDGET (row), CF_TYPE_PREFERENCES_WINDOW);

  if (self != NULL)
    cf_preferences_window_save (CF_PREFERENCES_WINDOW (self));
}

static GtkWidget *
cf_preferences_window_create_row_cb (gpointer item,
                                     gpointer user_data)
{
  GtkWidget *row = cf_account_row_new (CF_ACCOUNT (item));

  /* Tied to the row, so that a row made again for the same account does
   * not add a second save. */
  g_signal_connect_object (item, "notify::enabled",
                           G_CALLBACK (cf_preferences_window_enabled_changed_cb),
                           row, 0);

  return row;
}

/* Accounts: add, edit, remove. */

static void
cf_preferences_window_editor_done_cb (CfPreferencesWindow *self,
                                      CfAccountEditor     *editor)
{
  if (self->editor == GTK_WIDGET (editor))
    {
      self->editor = NULL;
      adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
    }
}

static void
cf_preferences_window_present_editor (CfPreferencesWindow *self,
                                      CfAccount           *account)
{
  GtkWidget *editor = cf_account_editor_new (self->store, account);

  g_signal_connect_object (editor, "done", G_CALLBACK (cf_preferences_window_editor_done_cb),
                           self, G_CONNECT_SWAPPED);
  self->editor = editor;
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
}

static void
cf_preferences_window_add_account (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  cf_preferences_window_present_editor (CF_PREFERENCES_WINDOW (widget), NULL);
}

static void
cf_preferences_window_edit_account (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);
  CfAccount *account = cf_account_store_find (self->store, g_variant_get_string (parameter, NULL));

  if (account != NULL)
    cf_preferences_window_present_editor (self, account);
}

static void
cf_preferences_window_remove_response_cb (CfPreferencesWindow *self,
                                          const char          *response,
                                          AdwMessageDialog    *dialog)
{
  const char *account_id = g_object_get_data (G_OBJECT (dialog), "account-id");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  CfAccount *account;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  account = cf_account_store_find (self->store, account_id);
  if (account == NULL)
    return;

  name = g_strdup (cf_account_get_name (account));

  if (!cf_account_store_remove (self->store, account, NULL, &error))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("“%s” could not be removed: %s"), name, error->message);
      cf_preferences_window_toast (self, message);
      return;
    }

  if (self->editor != NULL)
    {
      self->editor = NULL;
      adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
    }

  if (cf_preferences_window_save (self))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is an account's name */
      message = g_strdup_printf (_("“%s” removed"), name);
      cf_preferences_window_toast (self, message);
    }
}

static void
cf_preferences_window_remove_account (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);
  const char *account_id = g_variant_get_string (parameter, NULL);
  CfAccount *account = cf_account_store_find (self->store, account_id);
  AdwMessageDialog *dialog;

  if (account == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  /* Translators: %s is an account's name */
  adw_message_dialog_format_heading (dialog, _("Remove “%s”?"), cf_account_get_name (account));
  adw_message_dialog_set_body (dialog,
                               _("Its tokens or API key are deleted from the keyring. "
                                 "Clips it has already rendered are kept."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account-id", g_strdup (account_id), g_free);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (cf_preferences_window_remove_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Accounts: test. */

typedef struct
{
  GWeakRef     window;
  CfAccount   *account;
  CfEndpoints *endpoints;
} CfTestData;

static void
cf_test_data_free (CfTestData *data)
{
  g_weak_ref_clear (&data->window);
  g_clear_object (&data->account);
  g_clear_pointer (&data->endpoints, cf_endpoints_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTestData, cf_test_data_free)

/* In a worker thread: the account is a copy nothing else touches. */
static void
cf_preferences_window_test_thread (GTask        *task,
                                   gpointer      source_object,
                                   gpointer      task_data,
                                   GCancellable *cancellable)
{
  CfTestData *data = task_data;
  g_autoptr(CfProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = cf_provider_new_for_account (data->account, data->endpoints);
  if (provider == NULL)
    {
      g_task_return_new_error (task, CF_ERROR, CF_ERROR_BAD_INPUT,
                               "%s", _("This kind of account cannot be tested"));
      return;
    }

  if (!cf_provider_check_account (provider, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/*
 * The task holds no reference to the window (only a weak one), so that
 * closing the preferences during a test finalizes them at once; the answer
 * is then dropped.
 */
static void
cf_preferences_window_test_done_cb (GObject      *source_object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  CfTestData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(CfPreferencesWindow) self = g_weak_ref_get (&data->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *name = cf_account_get_name (data->account);
  CfAccountRow *row;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self == NULL)
    return;

  row = cf_preferences_window_find_row (self, cf_account_get_id (data->account));

  if (error == NULL)
    {
      if (row != NULL)
        cf_account_row_set_test_state (row, CF_ACCOUNT_ROW_TEST_PASSED, NULL);
      /* Translators: %s is an account's name */
      message = g_strdup_printf (_("“%s” is ready"), name);
    }
  else
    {
      if (row != NULL)
        cf_account_row_set_test_state (row, CF_ACCOUNT_ROW_TEST_FAILED, error->message);
      /* Translators: %s is an account's name, then why its test failed */
      message = g_strdup_printf (_("“%s”: %s"), name, error->message);
    }

  cf_preferences_window_toast (self, message);
}

static void
cf_preferences_window_test_account (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);
  CfAccount *account = cf_account_store_find (self->store, g_variant_get_string (parameter, NULL));
  g_autoptr(GTask) task = NULL;
  CfAccountRow *row;
  CfTestData *data;

  if (account == NULL)
    return;

  row = cf_preferences_window_find_row (self, cf_account_get_id (account));

  /* What is missing needs no call to the service to be known. */
  if (!cf_account_is_usable (account))
    {
      const char *why = cf_account_get_kind (account) == CF_ACCOUNT_KIND_LABS
                        ? _("It needs a project id and at least one token")
                        : _("It needs an API key");
      g_autofree char *message = NULL;

      if (row != NULL)
        cf_account_row_set_test_state (row, CF_ACCOUNT_ROW_TEST_FAILED, why);
      /* Translators: %s is an account's name, then why its test failed */
      message = g_strdup_printf (_("“%s”: %s"), cf_account_get_name (account), why);
      cf_preferences_window_toast (self, message);
      return;
    }

  if (row != NULL)
    {
      if (cf_account_row_get_test_state (row) == CF_ACCOUNT_ROW_TEST_RUNNING)
        return;
      cf_account_row_set_test_state (row, CF_ACCOUNT_ROW_TEST_RUNNING, NULL);
    }

  data = g_new0 (CfTestData, 1);
  g_weak_ref_init (&data->window, self);
  data->account = cf_account_copy (account);
  data->endpoints = self->endpoints != NULL ? cf_endpoints_ref (self->endpoints)
                                            : cf_endpoints_new_google ();

  task = g_task_new (NULL, self->cancellable, cf_preferences_window_test_done_cb, NULL);
  g_task_set_source_tag (task, cf_preferences_window_test_account);
  g_task_set_task_data (task, data, (GDestroyNotify)cf_test_data_free);
  g_task_run_in_thread (task, cf_preferences_window_test_thread);
}

/* Accounts: import from the replaced app. */

static void
cf_preferences_window_import_file (CfPreferencesWindow *self,
                                   GFile               *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  int n_added;

  n_added = cf_account_store_import_legacy (self->store, file, &error);
  if (n_added < 0)
    {
      message = g_strdup_printf (_("The accounts could not be imported: %s"), error->message);
      cf_preferences_window_toast (self, message);
      return;
    }

  if (n_added == 0)
    {
      cf_preferences_window_toast (self, _("No new accounts in this file"));
      return;
    }

  if (cf_preferences_window_save (self))
    {
      message = g_strdup_printf (ngettext ("%d account imported",
                                              "%d accounts imported", n_added),
                                 n_added);
      cf_preferences_window_toast (self, message);
    }
}

static void
cf_preferences_window_import_response_cb (CfPreferencesWindow  *self,
                                          int                   response,
                                          GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (self->chooser == GTK_NATIVE_DIALOG (chooser))
    g_clear_object (&self->chooser);

  if (file != NULL)
    cf_preferences_window_import_file (self, file);
}

/* The same import for a path given without the chooser (tests, a dropped file). */
static void
cf_preferences_window_import_path (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  cf_preferences_window_import_file (CF_PREFERENCES_WINDOW (widget), file);
}

static void
cf_preferences_window_show_chooser (CfPreferencesWindow  *self,
                                    GtkFileChooserNative *chooser,
                                    GCallback             response_cb)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect_object (chooser, "response", response_cb, self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
cf_preferences_window_import_accounts (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Accounts"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"),
                                         _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Settings of the previous app (config.json)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  cf_preferences_window_show_chooser (self, chooser,
                                      G_CALLBACK (cf_preferences_window_import_response_cb));
}

/* Defaults: the output folder. */

static char *
cf_preferences_window_dup_default_output_dir (void)
{
  const char *videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);

  if (videos == NULL)
    return g_build_filename (g_get_home_dir (), "Videos", "Clipfleet", NULL);

  return g_build_filename (videos, "Clipfleet", NULL);
}

/* The home folder as "~", the way the file manager's path bar shows it. */
static char *
cf_preferences_window_dup_display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize home_len = strlen (home);

  if (g_str_has_prefix (path, home) && (path[home_len] == '/' || path[home_len] == '\0'))
    return g_strconcat ("~", path + home_len, NULL);

  return g_strdup (path);
}

static void
cf_preferences_window_output_folder_changed_cb (CfPreferencesWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "output-folder");
  g_autofree char *display = NULL;

  if (*folder == '\0')
    {
      g_autofree char *fallback = cf_preferences_window_dup_default_output_dir ();
      g_autofree char *shown = cf_preferences_window_dup_display_path (fallback);

      /* Translators: %s is a folder, e.g. "~/Videos/Clipfleet" */
      display = g_strdup_printf (_("%s (default)"), shown);
    }
  else
    display = cf_preferences_window_dup_display_path (folder);

  adw_action_row_set_subtitle (self->output_row, display);
  gtk_widget_set_visible (self->reset_folder_button, *folder != '\0');
}

static void
cf_preferences_window_folder_response_cb (CfPreferencesWindow  *self,
                                          int                   response,
                                          GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (self->chooser == GTK_NATIVE_DIALOG (chooser))
    g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      cf_preferences_window_toast (self, _("Choose a folder on this computer"));
      return;
    }

  g_settings_set_string (self->settings, "output-folder", path);
}

static void
cf_preferences_window_choose_output_folder (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);
  g_autofree char *folder = g_settings_get_string (self->settings, "output-folder");
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Output Folder"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"),
                                         _("_Cancel"));
  if (*folder != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) current = g_file_new_for_path (folder);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), current, NULL);
    }

  cf_preferences_window_show_chooser (self, chooser,
                                      G_CALLBACK (cf_preferences_window_folder_response_cb));
}

static void
cf_preferences_window_reset_output_folder (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (widget);

  g_settings_reset (self->settings, "output-folder");
}

/* Defaults: combo rows bound to string keys. */

static void
cf_choice_list_init (CfChoiceList        *list,
                     const CfModelChoice *choices,
                     gsize                n_choices)
{
  list->labels = gtk_string_list_new (NULL);
  list->keys = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n_choices; i++)
    {
      gtk_string_list_append (list->labels, _(choices[i].label));
      g_ptr_array_add (list->keys, g_strdup (choices[i].key));
    }
}

static void
cf_choice_list_clear (CfChoiceList *list)
{
  g_clear_object (&list->labels);
  g_clear_pointer (&list->keys, g_ptr_array_unref);
}

static gboolean
cf_choice_get_mapping (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  CfChoiceList *list = user_data;
  const char *key = g_variant_get_string (variant, NULL);
  guint index;

  if (!g_ptr_array_find_with_equal_func (list->keys, key, g_str_equal, &index))
    {
      /* A key we do not know is shown as it is rather than replaced. */
      gtk_string_list_append (list->labels, key);
      g_ptr_array_add (list->keys, g_strdup (key));
      index = list->keys->len - 1;
    }

  g_value_set_uint (value, index);
  return TRUE;
}

static GVariant *
cf_choice_set_mapping (const GValue       *value,
                       const GVariantType *expected_type,
                       gpointer            user_data)
{
  CfChoiceList *list = user_data;
  guint index = g_value_get_uint (value);

  if (index >= list->keys->len)
    return NULL;

  return g_variant_new_string (g_ptr_array_index (list->keys, index));
}

static gboolean
cf_keys_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char * const *keys = user_data;
  const char *key = g_variant_get_string (variant, NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (g_str_equal (keys[i], key))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  /* The schema's choices make this unreachable; the first entry is the default. */
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
cf_keys_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char * const *keys = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **)keys))
    return NULL;

  return g_variant_new_string (keys[index]);
}

static gboolean
cf_poll_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_int32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
cf_poll_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  return g_variant_new_int32 ((gint32)(g_value_get_double (value) * 1000.0 + 0.5));
}

static void
cf_preferences_window_strategy_changed_cb (CfPreferencesWindow *self)
{
  if (adw_combo_row_get_selected (self->strategy_row) == 1)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strategy_row),
                                 _("Scenes are dealt out to the accounts in turn before the start"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strategy_row),
                                 _("Each account takes the next scene as soon as it has room"));
}

static void
cf_preferences_window_bind_settings (CfPreferencesWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  /* An uninstalled build without GSETTINGS_SCHEMA_DIR has no schema: the
   * defaults cannot be kept, so they are not offered. */
  if (schema == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->defaults_page), FALSE);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);

  cf_choice_list_init (&self->labs_choices, labs_models, G_N_ELEMENTS (labs_models));
  cf_choice_list_init (&self->gemini_choices, gemini_models, G_N_ELEMENTS (gemini_models));
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (self->labs_choices.labels));
  adw_combo_row_set_model (self->gemini_model_row, G_LIST_MODEL (self->gemini_choices.labels));

  g_settings_bind_with_mapping (self->settings, "model",
                                self->model_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                cf_choice_get_mapping, cf_choice_set_mapping,
                                &self->labs_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "gemini-model",
                                self->gemini_model_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                cf_choice_get_mapping, cf_choice_set_mapping,
                                &self->gemini_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "aspect",
                                self->aspect_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                cf_keys_get_mapping, cf_keys_set_mapping,
                                (gpointer)aspect_keys, NULL);
  g_settings_bind_with_mapping (self->settings, "strategy",
                                self->strategy_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                cf_keys_get_mapping, cf_keys_set_mapping,
                                (gpointer)strategy_keys, NULL);
  g_settings_bind (self->settings, "takes-per-scene",
                   gtk_spin_button_get_adjustment (self->takes_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-in-flight",
                   gtk_spin_button_get_adjustment (self->in_flight_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "poll-interval-ms",
                                gtk_spin_button_get_adjustment (self->poll_spin), "value",
                                G_SETTINGS_BIND_DEFAULT,
                                cf_poll_get_mapping, cf_poll_set_mapping,
                                NULL, NULL);

  g_signal_connect_object (self->settings, "changed::output-folder",
                           G_CALLBACK (cf_preferences_window_output_folder_changed_cb),
                           self, G_CONNECT_SWAPPED);
  cf_preferences_window_output_folder_changed_cb (self);
  cf_preferences_window_strategy_changed_cb (self);
}

static void
cf_preferences_window_constructed (GObject *object)
{
  CfPreferencesWindow *self = (CfPreferencesWindow *)object;

  G_OBJECT_CLASS (cf_preferences_window_parent_class)->constructed (object);

  g_assert (CF_IS_ACCOUNT_STORE (self->store));

  gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (self->store),
                           cf_preferences_window_create_row_cb, NULL, NULL);
  cf_preferences_window_bind_settings (self);
}

static void
cf_preferences_window_dispose (GObject *object)
{
  CfPreferencesWindow *self = (CfPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  /* The rows hold the store's accounts; they go before the store does. */
  if (self->accounts_list != NULL)
    gtk_list_box_bind_model (self->accounts_list, NULL, NULL, NULL, NULL);

  self->editor = NULL;

  /* A binding lives as long as its widget, which a popover or a pending
   * frame may keep past the window; its mapping data does not. */
  if (self->settings != NULL)
    {
      g_settings_unbind (self->model_row, "selected");
      g_settings_unbind (self->gemini_model_row, "selected");
      g_settings_unbind (self->aspect_row, "selected");
      g_settings_unbind (self->strategy_row, "selected");
      g_settings_unbind (gtk_spin_button_get_adjustment (self->takes_spin), "value");
      g_settings_unbind (gtk_spin_button_get_adjustment (self->in_flight_spin), "value");
      g_settings_unbind (gtk_spin_button_get_adjustment (self->poll_spin), "value");
    }
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cf_preferences_window_parent_class)->dispose (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->endpoints, cf_endpoints_unref);
}

static void
cf_preferences_window_finalize (GObject *object)
{
  CfPreferencesWindow *self = (CfPreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  cf_choice_list_clear (&self->labs_choices);
  cf_choice_list_clear (&self->gemini_choices);

  G_OBJECT_CLASS (cf_preferences_window_parent_class)->finalize (object);
}

static void
cf_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_ENDPOINTS:
      g_value_set_boxed (value, self->endpoints);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CfPreferencesWindow *self = CF_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_ENDPOINTS:
      self->endpoints = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_preferences_window_class_init (CfPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cf_preferences_window_constructed;
  object_class->dispose = cf_preferences_window_dispose;
  object_class->finalize = cf_preferences_window_finalize;
  object_class->get_property = cf_preferences_window_get_property;
  object_class->set_property = cf_preferences_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CF_TYPE_ACCOUNT_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENDPOINTS] =
    g_param_spec_boxed ("endpoints", NULL, NULL,
                        CF_TYPE_ENDPOINTS,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipfleet/Clipfleet/cf-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, defaults_page);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, output_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, reset_folder_button);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, gemini_model_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, takes_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, in_flight_spin);
  gtk_widget_class_bind_template_child (widget_class, CfPreferencesWindow, poll_spin);
  gtk_widget_class_bind_template_callback (widget_class, cf_preferences_window_strategy_changed_cb);

  gtk_widget_class_install_action (widget_class, "prefs.add-account", NULL,
                                   cf_preferences_window_add_account);
  gtk_widget_class_install_action (widget_class, "prefs.edit-account", "s",
                                   cf_preferences_window_edit_account);
  gtk_widget_class_install_action (widget_class, "prefs.remove-account", "s",
                                   cf_preferences_window_remove_account);
  gtk_widget_class_install_action (widget_class, "prefs.test-account", "s",
                                   cf_preferences_window_test_account);
  gtk_widget_class_install_action (widget_class, "prefs.import-accounts", NULL,
                                   cf_preferences_window_import_accounts);
  gtk_widget_class_install_action (widget_class, "prefs.import-path", "s",
                                   cf_preferences_window_import_path);
  gtk_widget_class_install_action (widget_class, "prefs.choose-output-folder", NULL,
                                   cf_preferences_window_choose_output_folder);
  gtk_widget_class_install_action (widget_class, "prefs.reset-output-folder", NULL,
                                   cf_preferences_window_reset_output_folder);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "prefs.add-account", NULL);
}

static void
cf_preferences_window_init (CfPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cf_preferences_window_new (GtkWindow      *parent,
                           CfAccountStore *store,
                           CfEndpoints    *endpoints)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (store), NULL);

  return g_object_new (CF_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "store", store,
                       "endpoints", endpoints,
                       NULL);
}

CfAccountStore *
cf_preferences_window_get_store (CfPreferencesWindow *self)
{
  g_return_val_if_fail (CF_IS_PREFERENCES_WINDOW (self), NULL);

  return self->store;
}

GtkWidget *
cf_preferences_window_get_editor (CfPreferencesWindow *self)
{
  g_return_val_if_fail (CF_IS_PREFERENCES_WINDOW (self), NULL);

  return self->editor;
}
