/* cf-paced-list-model.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-paced-list-model.h"

/* Additions up to this size pass at once: a retried take, a short script. */
#define PASS_AT_ONCE  4
/* Wall time one idle dispatch may spend showing items (and the views building
 * their widgets for them): well under a frame, so drawing and input go on. */
#define SLICE_BUDGET_US  (6 * 1000)

struct _CfPacedListModel
{
  GObject     parent_instance;

  GListModel *model;
  /* The first n_shown items of the model are shown; the rest wait. */
  guint       n_shown;
  guint       idle_id;
};

static void cf_paced_list_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfPacedListModel, cf_paced_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cf_paced_list_model_list_model_init))

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
cf_paced_list_model_get_item_type (GListModel *list)
{
  CfPacedListModel *self = CF_PACED_LIST_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
cf_paced_list_model_get_n_items (GListModel *list)
{
  return CF_PACED_LIST_MODEL (list)->n_shown;
}

static gpointer
cf_paced_list_model_get_item (GListModel *list,
                              guint       position)
{
  CfPacedListModel *self = CF_PACED_LIST_MODEL (list);

  if (position >= self->n_shown)
    return NULL;

  return g_list_model_get_item (self->model, position);
}

static void
cf_paced_list_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cf_paced_list_model_get_item_type;
  iface->get_n_items = cf_paced_list_model_get_n_items;
  iface->get_item = cf_paced_list_model_get_item;
}

static guint
n_waiting (CfPacedListModel *self)
{
  return self->model != NULL ? g_list_model_get_n_items (self->model) - self->n_shown : 0;
}

static gboolean
show_slice_cb (gpointer user_data)
{
  CfPacedListModel *self = user_data;
  gint64 start = g_get_monotonic_time ();

  /* One item per signal: the time a view spends on each is then counted
   * against the budget as it is spent. */
  do
    {
      self->n_shown++;
      g_list_model_items_changed (G_LIST_MODEL (self), self->n_shown - 1, 0, 1);
    }
  while (n_waiting (self) > 0 && g_get_monotonic_time () - start < SLICE_BUDGET_US);

  if (n_waiting (self) > 0)
    return G_SOURCE_CONTINUE;

  self->idle_id = 0;
  return G_SOURCE_REMOVE;
}

static void
schedule_slices (CfPacedListModel *self)
{
  if (self->idle_id == 0 && n_waiting (self) > 0)
    self->idle_id = g_idle_add (show_slice_cb, self);
}

static void
items_changed_cb (CfPacedListModel *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *model)
{
  guint removed_shown, tail;

  if (position >= self->n_shown)
    {
      /* Nothing shown changed; new items wait their turn. */
      schedule_slices (self);
      return;
    }

  removed_shown = MIN (removed, self->n_shown - position);
  /* The shown items after the change, which now follow the added ones. */
  tail = self->n_shown - position - removed_shown;

  if (added <= PASS_AT_ONCE)
    {
      self->n_shown = self->n_shown - removed_shown + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed_shown, added);
    }
  else
    {
      /* Many new items: the shown list ends where they start, and they and
       * the tail behind them come back slice by slice. */
      self->n_shown = position;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed_shown + tail, 0);
    }

  schedule_slices (self);
}

CfPacedListModel *
cf_paced_list_model_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (CF_TYPE_PACED_LIST_MODEL, "model", model, NULL);
}

GListModel *
cf_paced_list_model_get_model (CfPacedListModel *self)
{
  g_return_val_if_fail (CF_IS_PACED_LIST_MODEL (self), NULL);

  return self->model;
}

void
cf_paced_list_model_set_model (CfPacedListModel *self,
                               GListModel       *model)
{
  guint n_removed;

  g_return_if_fail (CF_IS_PACED_LIST_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  n_removed = self->n_shown;
  self->n_shown = 0;
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  if (n_removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_removed, 0);
  schedule_slices (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

gboolean
cf_paced_list_model_get_pending (CfPacedListModel *self)
{
  g_return_val_if_fail (CF_IS_PACED_LIST_MODEL (self), FALSE);

  return n_waiting (self) > 0;
}

static void
cf_paced_list_model_dispose (GObject *object)
{
  CfPacedListModel *self = CF_PACED_LIST_MODEL (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cf_paced_list_model_parent_class)->dispose (object);
}

static void
cf_paced_list_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CfPacedListModel *self = CF_PACED_LIST_MODEL (object);

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
cf_paced_list_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CfPacedListModel *self = CF_PACED_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cf_paced_list_model_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_paced_list_model_class_init (CfPacedListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_paced_list_model_dispose;
  object_class->get_property = cf_paced_list_model_get_property;
  object_class->set_property = cf_paced_list_model_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_paced_list_model_init (CfPacedListModel *self)
{
}
