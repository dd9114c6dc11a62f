/* cf-job-grid.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-job-card.h"
#include "cf-job-grid.h"
#include "cf-paced-list-model.h"

struct _CfJobGrid
{
  GtkWidget       parent_instance;

  GListModel       *model;
  CfPacedListModel *paced;
  GtkNoSelection   *selection;

  GtkGridView    *grid_view;
};

G_DEFINE_FINAL_TYPE (CfJobGrid, cf_job_grid, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

enum {
  RETRY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
cf_job_grid_new (void)
{
  return g_object_new (CF_TYPE_JOB_GRID, NULL);
}

GListModel *
cf_job_grid_get_model (CfJobGrid *self)
{
  g_return_val_if_fail (CF_IS_JOB_GRID (self), NULL);

  return self->model;
}

GtkGridView *
cf_job_grid_get_grid_view (CfJobGrid *self)
{
  g_return_val_if_fail (CF_IS_JOB_GRID (self), NULL);

  return self->grid_view;
}

void
cf_job_grid_set_model (CfJobGrid  *self,
                       GListModel *model)
{
  g_return_if_fail (CF_IS_JOB_GRID (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  cf_paced_list_model_set_model (self->paced, model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
cf_job_grid_request_retry (CfJobGrid *self,
                           CfTake    *take)
{
  g_return_if_fail (CF_IS_JOB_GRID (self));
  g_return_if_fail (CF_IS_TAKE (take));

  g_signal_emit (self, signals[RETRY], 0, take);
}

/* A plain signal factory: the builder factory parsed a template per card,
 * and cards are built by the hundred when a run starts. */
static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, cf_job_card_new ());
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  cf_job_card_set_take (CF_JOB_CARD (gtk_list_item_get_child (item)),
                        gtk_list_item_get_item (item));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  cf_job_card_set_take (CF_JOB_CARD (gtk_list_item_get_child (item)), NULL);
}

static void
cf_job_grid_dispose (GObject *object)
{
  CfJobGrid *self = CF_JOB_GRID (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_JOB_GRID);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->paced);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cf_job_grid_parent_class)->dispose (object);
}

static void
cf_job_grid_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CfJobGrid *self = CF_JOB_GRID (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_job_grid_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CfJobGrid *self = CF_JOB_GRID (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cf_job_grid_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_job_grid_class_init (CfJobGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_job_grid_dispose;
  object_class->get_property = cf_job_grid_get_property;
  object_class->set_property = cf_job_grid_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CF_TYPE_TAKE);

  g_type_ensure (CF_TYPE_JOB_CARD);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-job-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, CfJobGrid, grid_view);
}

static void
cf_job_grid_init (CfJobGrid *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);

  /* New takes reach the grid a slice at a time: see CfPacedListModel. */
  self->paced = cf_paced_list_model_new (NULL);
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->paced)));
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));
}
