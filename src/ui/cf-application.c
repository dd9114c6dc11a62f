/* cf-application.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-application.h"
#include "cf-window.h"

#ifdef CF_HAVE_DEMO
# include "cf-demo.h"
#endif
#if __has_include("cf-keyring-secret-store.h")
# include "cf-keyring-secret-store.h"
# define CF_HAVE_KEYRING 1
#endif
#if __has_include("cf-preferences-window.h")
# include "cf-preferences-window.h"
# define CF_HAVE_PREFERENCES 1
#endif

struct _CfApplication
{
  AdwApplication  parent_instance;

  CfAccountStore *store;
  GObject        *demo;
  gboolean        want_demo;
};

G_DEFINE_FINAL_TYPE (CfApplication, cf_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the demo: a simulated Google service with three accounts"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { NULL }
};

CfApplication *
cf_application_new (void)
{
  return g_object_new (CF_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/clipfleet/Clipfleet",
                       NULL);
}

GSettings *
cf_application_dup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

gboolean
cf_application_get_demo (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), FALSE);

  return self->demo != NULL;
}

GObject *
cf_application_get_demo_object (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

  return self->demo;
}

CfAccountStore *
cf_application_get_account_store (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

  return self->store;
}

gboolean
cf_application_start_demo (CfApplication  *self,
                           GError        **error)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), FALSE);

  if (self->demo != NULL)
    return TRUE;

#ifdef CF_HAVE_DEMO
  self->demo = G_OBJECT (cf_demo_start (error));
  if (self->demo == NULL)
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  return TRUE;
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This build has no demo"));
  return FALSE;
#endif
}

GPtrArray *
cf_application_dup_run_accounts (CfApplication *self)
{
  g_return_val_if_fail (CF_IS_APPLICATION (self), NULL);

#ifdef CF_HAVE_DEMO
  if (self->demo != NULL)
    {
      GPtrArray *accounts = cf_demo_get_accounts (CF_DEMO (self->demo));
      GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < accounts->len; i++)
        g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (accounts, i)));
      return copy;
    }
#endif

  if (self->store != NULL)
    return cf_account_store_dup_enabled (self->store);

  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
cf_application_ensure_store (CfApplication *self)
{
  g_autoptr(CfSecretStore) secrets = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    return;

#ifdef CF_HAVE_KEYRING
  secrets = CF_SECRET_STORE (cf_keyring_secret_store_new ());
#endif
  self->store = cf_account_store_new (NULL, secrets);

  /* A broken accounts file must not keep the app from starting: the user
   * can still run the demo or fix the accounts in Preferences. */
  if (!cf_account_store_load (self->store, NULL, &error))
    g_message ("Could not load the accounts: %s", error->message);
}

static void
cf_application_show_preferences (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  CfApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

#ifdef CF_HAVE_PREFERENCES
  CfEndpoints *endpoints = NULL;
  GtkWidget *window;

#ifdef CF_HAVE_DEMO
  if (self->demo != NULL)
    endpoints = cf_demo_get_endpoints (CF_DEMO (self->demo));
#endif
  window = cf_preferences_window_new (parent, self->store, endpoints);

  gtk_window_present (GTK_WINDOW (window));
#else
  if (CF_IS_WINDOW (parent))
    cf_window_show_toast (CF_WINDOW (parent), _("Preferences are not available in this build"));
#endif
}

static void
cf_application_show_about (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  CfApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Clipfleet developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Clipfleet"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Clipfleet developers"),
                         "developers", developers,
                         "comments", _("Turn a script into video clips, spread over all of your accounts"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Clipfleet developers",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
cf_application_quit (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  CfApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows (rather than g_application_quit) lets each one
   * cancel its run and save its size. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_entries[] = {
  { "preferences", cf_application_show_preferences },
  { "about", cf_application_show_about },
  { "quit", cf_application_quit },
};

static CfWindow *
cf_application_ensure_window (CfApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CF_IS_WINDOW (window))
    return CF_WINDOW (window);

  return cf_window_new (self);
}

static void
cf_application_activate (GApplication *app)
{
  CfApplication *self = CF_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (cf_application_ensure_window (self)));
}

static void
cf_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CfApplication *self = CF_APPLICATION (app);
  CfWindow *window = cf_application_ensure_window (self);

  if (n_files > 0)
    cf_window_open_script (window, files[0]);
  gtk_window_present (GTK_WINDOW (window));
}

static int
cf_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CfApplication *self = CF_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  self->want_demo = g_variant_dict_contains (options, "demo");

  /* The demo's simulator lives in this process, so a demo never hands its
   * command line over to an instance that is already running. */
  if (self->want_demo)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
cf_application_startup (GApplication *app)
{
  CfApplication *self = CF_APPLICATION (app);
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *save_accels[] = { "<Control>s", NULL };
  static const char *generate_accels[] = { "<Control>Return", NULL };
  static const char *cancel_accels[] = { "<Control>period", NULL };
  static const char *paste_accels[] = { "<Control><Shift>v", NULL };

  G_APPLICATION_CLASS (cf_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.save", save_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.generate", generate_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.cancel", cancel_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.paste-scenes", paste_accels);

  cf_application_ensure_store (self);

  if (self->want_demo)
    {
      g_autoptr(GError) error = NULL;

      if (!cf_application_start_demo (self, &error))
        g_warning ("Could not start the demo: %s", error->message);
    }
}

static void
cf_application_shutdown (GApplication *app)
{
  CfApplication *self = CF_APPLICATION (app);

#ifdef CF_HAVE_DEMO
  if (self->demo != NULL)
    cf_demo_stop (CF_DEMO (self->demo));
#endif

  G_APPLICATION_CLASS (cf_application_parent_class)->shutdown (app);
}

static void
cf_application_dispose (GObject *object)
{
  CfApplication *self = CF_APPLICATION (object);

  g_clear_object (&self->demo);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cf_application_parent_class)->dispose (object);
}

static void
cf_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CfApplication *self = CF_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, cf_application_get_demo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_application_class_init (CfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cf_application_dispose;
  object_class->get_property = cf_application_get_property;

  app_class->activate = cf_application_activate;
  app_class->open = cf_application_open;
  app_class->startup = cf_application_startup;
  app_class->shutdown = cf_application_shutdown;
  app_class->handle_local_options = cf_application_handle_local_options;

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_application_init (CfApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}
