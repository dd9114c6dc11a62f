/* cf-account-strip.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-account-strip.h"
#include "cf-account-strip-row.h"

struct _CfAccountStrip
{
  GtkWidget   parent_instance;

  GListModel *model;

  GtkFlowBox *flow_box;
};

G_DEFINE_FINAL_TYPE (CfAccountStrip, cf_account_strip, GTK_TYPE_WIDGET)

GtkWidget *
cf_account_strip_new (void)
{
  return g_object_new (CF_TYPE_ACCOUNT_STRIP, NULL);
}

GListModel *
cf_account_strip_get_model (CfAccountStrip *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STRIP (self), NULL);

  return self->model;
}

GtkWidget *
cf_account_strip_get_row (CfAccountStrip *self,
                          guint           position)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STRIP (self), NULL);

  return GTK_WIDGET (gtk_flow_box_get_child_at_index (self->flow_box, position));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return cf_account_strip_row_new (item);
}

static void
items_changed_cb (CfAccountStrip *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *model)
{
  gtk_widget_set_visible (GTK_WIDGET (self), g_list_model_get_n_items (model) > 0);
}

void
cf_account_strip_set_model (CfAccountStrip *self,
                            GListModel     *model)
{
  g_return_if_fail (CF_IS_ACCOUNT_STRIP (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  if (!g_set_object (&self->model, model))
    return;

  gtk_flow_box_bind_model (self->flow_box, model, create_row_cb, NULL, NULL);
  if (model != NULL)
    {
      g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
      items_changed_cb (self, 0, 0, 0, model);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
cf_account_strip_dispose (GObject *object)
{
  CfAccountStrip *self = CF_ACCOUNT_STRIP (object);
  GtkWidget *child;

  if (self->flow_box != NULL)
    gtk_flow_box_bind_model (self->flow_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_ACCOUNT_STRIP);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cf_account_strip_parent_class)->dispose (object);
}

static void
cf_account_strip_class_init (CfAccountStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_account_strip_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-account-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, CfAccountStrip, flow_box);
}

static void
cf_account_strip_init (CfAccountStrip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
