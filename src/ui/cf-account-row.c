/* cf-account-row.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-account-row.h"

struct _CfAccountRow
{
  AdwActionRow      parent_instance;

  CfAccount        *account;
  CfAccountRowTest  test_state;

  GtkStack         *test_stack;
  GtkImage         *failed_image;
  GtkButton        *test_button;
  GtkSwitch        *enabled_switch;
};

G_DEFINE_FINAL_TYPE (CfAccountRow, cf_account_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cf_account_row_update (CfAccountRow *self)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  CfAccount *account = self->account;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), cf_account_get_name (account));

  /* A summary of what the account holds, never the secrets themselves. */
  if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_LABS)
    {
      guint n_tokens = cf_account_get_n_tokens (account);
      g_autofree char *project = cf_account_dup_short_project_id (account);

      g_string_append (subtitle, _("Google Labs Flow"));
      if (project != NULL && *project != '\0')
        {
          g_string_append (subtitle, " · ");
          /* Translators: %s is the start of a project id, e.g. "87b19267" */
          g_string_append_printf (subtitle, _("project %s"), project);
        }
      g_string_append (subtitle, " · ");
      if (n_tokens == 0)
        g_string_append (subtitle, _("no token"));
      else
        g_string_append_printf (subtitle,
                                ngettext ("%u token", "%u tokens", n_tokens),
                                n_tokens);
    }
  else
    {
      const char *key = cf_account_get_api_key (account);

      g_string_append (subtitle, _("Gemini API"));
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, key != NULL && *key != '\0' ? _("API key") : _("no API key"));
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);

  if (gtk_switch_get_active (self->enabled_switch) != cf_account_get_enabled (account))
    gtk_switch_set_active (self->enabled_switch, cf_account_get_enabled (account));
}

static void
cf_account_row_account_notify_cb (CfAccountRow *self,
                                  GParamSpec   *pspec,
                                  CfAccount    *account)
{
  cf_account_row_update (self);
}

/* The switch changes the account; the preferences window saves on notify::enabled. */
static void
cf_account_row_switch_notify_cb (CfAccountRow *self,
                                 GParamSpec   *pspec,
                                 GtkSwitch    *sw)
{
  gboolean active = gtk_switch_get_active (sw);

  if (self->account != NULL && cf_account_get_enabled (self->account) != active)
    cf_account_set_enabled (self->account, active);
}

static void
cf_account_row_activated_cb (CfAccountRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "prefs.edit-account", "s",
                              cf_account_get_id (self->account));
}

static void
cf_account_row_set_account (CfAccountRow *self,
                            CfAccount    *account)
{
  g_assert (self->account == NULL);

  self->account = g_object_ref (account);
  g_signal_connect_object (account, "notify", G_CALLBACK (cf_account_row_account_notify_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->test_button),
                                          g_variant_new_string (cf_account_get_id (account)));
  cf_account_row_update (self);
}

static void
cf_account_row_dispose (GObject *object)
{
  CfAccountRow *self = (CfAccountRow *)object;

  g_clear_object (&self->account);

  G_OBJECT_CLASS (cf_account_row_parent_class)->dispose (object);
}

static void
cf_account_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CfAccountRow *self = CF_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CfAccountRow *self = CF_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      cf_account_row_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_row_class_init (CfAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_account_row_dispose;
  object_class->get_property = cf_account_row_get_property;
  object_class->set_property = cf_account_row_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         CF_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipfleet/Clipfleet/cf-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CfAccountRow, test_stack);
  gtk_widget_class_bind_template_child (widget_class, CfAccountRow, failed_image);
  gtk_widget_class_bind_template_child (widget_class, CfAccountRow, test_button);
  gtk_widget_class_bind_template_child (widget_class, CfAccountRow, enabled_switch);
  gtk_widget_class_bind_template_callback (widget_class, cf_account_row_switch_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, cf_account_row_activated_cb);
}

static void
cf_account_row_init (CfAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cf_account_row_new (CfAccount *account)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (account), NULL);

  return g_object_new (CF_TYPE_ACCOUNT_ROW,
                       "account", account,
                       NULL);
}

CfAccount *
cf_account_row_get_account (CfAccountRow *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

CfAccountRowTest
cf_account_row_get_test_state (CfAccountRow *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_ROW (self), CF_ACCOUNT_ROW_TEST_NONE);

  return self->test_state;
}

void
cf_account_row_set_test_state (CfAccountRow     *self,
                               CfAccountRowTest  state,
                               const char       *message)
{
  static const char * const pages[] = { "none", "running", "passed", "failed" };

  g_return_if_fail (CF_IS_ACCOUNT_ROW (self));
  g_return_if_fail (state <= CF_ACCOUNT_ROW_TEST_FAILED);

  self->test_state = state;
  gtk_stack_set_visible_child_name (self->test_stack, pages[state]);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), state != CF_ACCOUNT_ROW_TEST_RUNNING);

  if (state == CF_ACCOUNT_ROW_TEST_FAILED)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->failed_image), message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->failed_image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      message != NULL ? message : _("The test failed"),
                                      -1);
    }
}
