/* cf-account-strip-row.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-account-strip-row.h"
#include "cf-error.h"
#include "cf-widget-util.h"

struct _CfAccountStripRow
{
  GtkFlowBoxChild  parent_instance;

  CfRunAccount    *account;
  guint            tick_id;
  guint            update_id;
  char            *state_class;

  GtkLabel        *name_label;
  GtkInscription  *count_label;
  GtkProgressBar  *progress_bar;
  GtkInscription  *detail_label;
  GtkImage        *state_icon;
  GtkLabel        *state_label;
};

G_DEFINE_FINAL_TYPE (CfAccountStripRow, cf_account_strip_row, GTK_TYPE_FLOW_BOX_CHILD)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
cf_account_strip_row_new (CfRunAccount *account)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (account), NULL);

  return g_object_new (CF_TYPE_ACCOUNT_STRIP_ROW, "account", account, NULL);
}

CfRunAccount *
cf_account_strip_row_get_account (CfAccountStripRow *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STRIP_ROW (self), NULL);

  return self->account;
}

const char *
cf_account_strip_row_get_state_text (CfAccountStripRow *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STRIP_ROW (self), NULL);

  return gtk_label_get_label (self->state_label);
}

/* Short words for why an account is out; the full sentence is the tooltip. */
static const char *
out_label (int code)
{
  switch (code)
    {
    case CF_ERROR_AUTH_EXPIRED:       return _("Out: tokens expired");
    case CF_ERROR_NEEDS_VERIFICATION: return _("Out: needs verification");
    case CF_ERROR_QUOTA:              return _("Out: quota spent");
    case CF_ERROR_ACCESS_DENIED:      return _("Out: access denied");
    case CF_ERROR_MODEL_NOT_ALLOWED:  return _("Out: model not in plan");
    default:                          return _("Out");
    }
}

static void
set_state_class (CfAccountStripRow *self,
                 const char        *css_class)
{
  if (g_strcmp0 (css_class, self->state_class) == 0)
    return;

  if (self->state_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->state_class);
  gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
  g_free (self->state_class);
  self->state_class = g_strdup (css_class);
}

/*
 * In a narrow strip, and in longer languages, the counts are cut short
 * ("0 in flight · 840 cr…"): the whole line is the tooltip. It comes from
 * query-tooltip, when the pointer rests on it, rather than being set with
 * each new count: setting a tooltip asks the X server where the pointer is.
 */
static gboolean
detail_query_tooltip_cb (GtkWidget         *widget,
                         int                x,
                         int                y,
                         gboolean           keyboard_mode,
                         GtkTooltip        *tooltip,
                         CfAccountStripRow *self)
{
  const char *text = gtk_inscription_get_text (self->detail_label);

  if (text == NULL || text[0] == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean tick_cb (gpointer user_data);

static void
update (CfAccountStripRow *self)
{
  CfRunAccount *account = self->account;
  guint done = cf_run_account_get_done (account);
  guint failed = cf_run_account_get_failed (account);
  guint taken = cf_run_account_get_taken (account);
  gint64 credits = cf_run_account_get_credits (account);
  g_autofree char *count = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *state = NULL;
  g_autofree char *in_flight = NULL;

  cf_label_set_text_if_changed (self->name_label, cf_run_account_get_name (account));

  /* Translators: an account's progress: clips saved of scenes it took. */
  count = g_strdup_printf (_("%u / %u"), done, taken);
  gtk_inscription_set_text (self->count_label, count);
  gtk_progress_bar_set_fraction (self->progress_bar, taken > 0 ? (double) (done + failed) / taken : 0.0);

  in_flight = g_strdup_printf (ngettext ("%u in flight", "%u in flight",
                                         cf_run_account_get_in_flight (account)),
                               cf_run_account_get_in_flight (account));
  if (credits >= 0)
    /* Translators: "2 in flight · 840 credits" */
    detail = g_strdup_printf (_("%s · %lld credits"), in_flight, (long long) credits);
  else
    detail = g_strdup (in_flight);
  gtk_inscription_set_text (self->detail_label, detail);

  switch (cf_run_account_get_health (account))
    {
    case CF_ACCOUNT_HEALTH_BACKING_OFF:
      {
        gint64 left = cf_run_account_get_backoff_until (account) - g_get_real_time ();
        int seconds = (int) MAX ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 0);

        /* Translators: an account waits before it asks again. */
        state = g_strdup_printf (_("Backing off %d s"), seconds);
        cf_image_set_icon_if_changed (self->state_icon, "alarm-symbolic");
        set_state_class (self, "state-warning");
        cf_widget_set_tooltip_if_changed (GTK_WIDGET (self), NULL);
        if (self->tick_id == 0)
          self->tick_id = g_timeout_add (500, tick_cb, self);
        break;
      }

    case CF_ACCOUNT_HEALTH_OUT:
      state = g_strdup (out_label (cf_run_account_get_out_code (account)));
      cf_image_set_icon_if_changed (self->state_icon, "dialog-error-symbolic");
      set_state_class (self, "state-failed");
      cf_widget_set_tooltip_if_changed (GTK_WIDGET (self), cf_run_account_get_out_reason (account));
      g_clear_handle_id (&self->tick_id, g_source_remove);
      break;

    case CF_ACCOUNT_HEALTH_READY:
    default:
      state = g_strdup (cf_run_account_get_in_flight (account) > 0 ? _("Working") : _("Ready"));
      cf_image_set_icon_if_changed (self->state_icon, "emblem-ok-symbolic");
      set_state_class (self, cf_run_account_get_in_flight (account) > 0 ? "state-active" : "state-done");
      cf_widget_set_tooltip_if_changed (GTK_WIDGET (self), NULL);
      g_clear_handle_id (&self->tick_id, g_source_remove);
      break;
    }

  cf_label_set_text_if_changed (self->state_label, state);
}

static gboolean
tick_cb (gpointer user_data)
{
  CfAccountStripRow *self = user_data;

  if (self->account == NULL || cf_run_account_get_health (self->account) != CF_ACCOUNT_HEALTH_BACKING_OFF)
    {
      self->tick_id = 0;
      if (self->account != NULL)
        update (self);
      return G_SOURCE_REMOVE;
    }

  update (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  CfAccountStripRow *self = CF_ACCOUNT_STRIP_ROW (widget);

  self->update_id = 0;
  if (self->account != NULL)
    update (self);

  return G_SOURCE_REMOVE;
}

static void
account_notify_cb (CfAccountStripRow *self,
                   GParamSpec        *pspec,
                   CfRunAccount      *account)
{
  /* An account reports many changes a second when dozens of takes move:
   * the row catches up once per frame. */
  if (self->update_id == 0)
    self->update_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb, NULL, NULL);
}

static void
cf_account_strip_row_set_account (CfAccountStripRow *self,
                                  CfRunAccount      *account)
{
  g_assert (self->account == NULL);

  self->account = g_object_ref (account);
  g_signal_connect_object (account, "notify", G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
cf_account_strip_row_dispose (GObject *object)
{
  CfAccountStripRow *self = CF_ACCOUNT_STRIP_ROW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->update_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->update_id);
      self->update_id = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_ACCOUNT_STRIP_ROW);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (cf_account_strip_row_parent_class)->dispose (object);
}

static void
cf_account_strip_row_finalize (GObject *object)
{
  CfAccountStripRow *self = CF_ACCOUNT_STRIP_ROW (object);

  g_clear_pointer (&self->state_class, g_free);

  G_OBJECT_CLASS (cf_account_strip_row_parent_class)->finalize (object);
}

static void
cf_account_strip_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CfAccountStripRow *self = CF_ACCOUNT_STRIP_ROW (object);

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
cf_account_strip_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CfAccountStripRow *self = CF_ACCOUNT_STRIP_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      cf_account_strip_row_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_strip_row_class_init (CfAccountStripRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_account_strip_row_dispose;
  object_class->finalize = cf_account_strip_row_finalize;
  object_class->get_property = cf_account_strip_row_get_property;
  object_class->set_property = cf_account_strip_row_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         CF_TYPE_RUN_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-account-strip-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CfAccountStripRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CfAccountStripRow, count_label);
  gtk_widget_class_bind_template_child (widget_class, CfAccountStripRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CfAccountStripRow, detail_label);
  gtk_widget_class_bind_template_callback (widget_class, detail_query_tooltip_cb);
  gtk_widget_class_bind_template_child (widget_class, CfAccountStripRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, CfAccountStripRow, state_label);
}

static void
cf_account_strip_row_init (CfAccountStripRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
