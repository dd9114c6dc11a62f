/* cf-scene-queue.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-scene-queue.h"

struct _CfSceneQueue
{
  GMutex    mutex;
  GCond     cond;
  GQueue    units;
  guint     n_accounts;
  gboolean *active;
  guint     n_active;
  guint     outstanding;
  gboolean  stopping;
  guint64   changes;
};

CfSceneUnit *
cf_scene_unit_new (guint scene_index,
                   guint n_accounts)
{
  CfSceneUnit *unit = g_new0 (CfSceneUnit, 1);

  unit->scene_index = scene_index;
  unit->assigned = -1;
  unit->n_accounts = n_accounts;
  unit->failures = g_new0 (guint8, MAX (n_accounts, 1));
  unit->last_error_code = -1;

  return unit;
}

void
cf_scene_unit_add_take (CfSceneUnit *unit,
                        guint        take_number)
{
  g_return_if_fail (unit != NULL);
  g_return_if_fail (unit->n_takes < G_N_ELEMENTS (unit->takes));

  unit->takes[unit->n_takes++] = take_number;
}

CfSceneUnit *
cf_scene_unit_new_sibling (const CfSceneUnit *unit)
{
  CfSceneUnit *sibling;

  g_return_val_if_fail (unit != NULL, NULL);

  sibling = cf_scene_unit_new (unit->scene_index, unit->n_accounts);
  memcpy (sibling->failures, unit->failures, MAX (unit->n_accounts, 1));
  sibling->assigned = unit->assigned;
  sibling->last_error_code = unit->last_error_code;
  sibling->last_error = g_strdup (unit->last_error);

  return sibling;
}

void
cf_scene_unit_free (CfSceneUnit *unit)
{
  if (unit == NULL)
    return;

  g_free (unit->failures);
  g_free (unit->last_error);
  g_clear_pointer (&unit->handle, cf_take_handle_free);
  g_free (unit);
}

gboolean
cf_scene_unit_add_failure (CfSceneUnit *unit,
                           guint        account,
                           int          code,
                           const char  *message)
{
  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (account < unit->n_accounts, FALSE);

  unit->last_error_code = code;
  g_free (unit->last_error);
  unit->last_error = g_strdup (message);

  if (unit->failures[account] < G_MAXUINT8)
    unit->failures[account]++;

  return unit->failures[account] == CF_SCENE_QUEUE_MAX_FAILURES_PER_ACCOUNT;
}

void
cf_scene_unit_avoid_account (CfSceneUnit *unit,
                             guint        account)
{
  g_return_if_fail (unit != NULL);
  g_return_if_fail (account < unit->n_accounts);

  unit->failures[account] = MAX (unit->failures[account], CF_SCENE_QUEUE_MAX_FAILURES_PER_ACCOUNT);
}

gboolean
cf_scene_unit_avoids (const CfSceneUnit *unit,
                      guint              account)
{
  g_return_val_if_fail (unit != NULL, FALSE);

  return account < unit->n_accounts &&
         unit->failures[account] >= CF_SCENE_QUEUE_MAX_FAILURES_PER_ACCOUNT;
}

CfSceneQueue *
cf_scene_queue_new (guint n_accounts)
{
  CfSceneQueue *self = g_new0 (CfSceneQueue, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->units);
  self->n_accounts = n_accounts;
  self->active = g_new0 (gboolean, MAX (n_accounts, 1));
  for (guint i = 0; i < n_accounts; i++)
    self->active[i] = TRUE;
  self->n_active = n_accounts;

  return self;
}

void
cf_scene_queue_free (CfSceneQueue *self)
{
  if (self == NULL)
    return;

  g_queue_clear_full (&self->units, (GDestroyNotify) cf_scene_unit_free);
  g_free (self->active);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/* Called with the lock held. */
static void
changed_locked (CfSceneQueue *self)
{
  self->changes++;
  g_cond_broadcast (&self->cond);
}

void
cf_scene_queue_push (CfSceneQueue *self,
                     CfSceneUnit  *unit,
                     gboolean      front)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (unit != NULL);

  g_mutex_lock (&self->mutex);
  /* A unit dealt to an account that left belongs to everyone. */
  if (unit->assigned >= 0 && !self->active[unit->assigned])
    unit->assigned = -1;
  if (front)
    g_queue_push_head (&self->units, unit);
  else
    g_queue_push_tail (&self->units, unit);
  changed_locked (self);
  g_mutex_unlock (&self->mutex);
}

static gboolean avoids_every_active_locked (CfSceneQueue      *self,
                                            const CfSceneUnit *unit);

gboolean
cf_scene_queue_push_while_running (CfSceneQueue *self,
                                   CfSceneUnit  *unit)
{
  gboolean taken = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  /* With nothing outstanding the workers are leaving, or have left: a unit
   * pushed now would wait for a worker that never comes. */
  if (!self->stopping && self->outstanding > 0 && !avoids_every_active_locked (self, unit))
    {
      g_queue_push_head (&self->units, unit);
      self->outstanding += unit->n_takes;
      changed_locked (self);
      taken = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  return taken;
}

static gboolean
avoids_every_active_locked (CfSceneQueue      *self,
                            const CfSceneUnit *unit)
{
  for (guint i = 0; i < self->n_accounts; i++)
    if (self->active[i] && !cf_scene_unit_avoids (unit, i))
      return FALSE;
  return TRUE;
}

CfSceneUnit *
cf_scene_queue_pop_for (CfSceneQueue *self,
                        guint         account,
                        guint         room,
                        gboolean      any_size,
                        GPtrArray    *exhausted)
{
  CfSceneUnit *found = NULL;
  GList *link;
  GList *next;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (account < self->n_accounts, NULL);

  g_mutex_lock (&self->mutex);

  for (link = self->units.head; link != NULL; link = next)
    {
      CfSceneUnit *unit = link->data;

      next = link->next;

      if (cf_scene_unit_avoids (unit, account))
        {
          if (exhausted != NULL && avoids_every_active_locked (self, unit))
            {
              g_queue_delete_link (&self->units, link);
              g_ptr_array_add (exhausted, unit);
            }
          continue;
        }

      if (unit->assigned >= 0 && (guint) unit->assigned != account)
        continue;

      /* Keep the queue's order: a unit too big for the room now waits for room. */
      if (!any_size && unit->n_takes > room)
        break;

      g_queue_delete_link (&self->units, link);
      found = unit;
      break;
    }

  if (found != NULL)
    self->changes++;

  g_mutex_unlock (&self->mutex);

  return found;
}

GPtrArray *
cf_scene_queue_drain (CfSceneQueue *self)
{
  GPtrArray *units;
  CfSceneUnit *unit;

  g_return_val_if_fail (self != NULL, NULL);

  units = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_scene_unit_free);

  g_mutex_lock (&self->mutex);
  while ((unit = g_queue_pop_head (&self->units)) != NULL)
    g_ptr_array_add (units, unit);
  changed_locked (self);
  g_mutex_unlock (&self->mutex);

  return units;
}

guint
cf_scene_queue_get_length (CfSceneQueue *self)
{
  guint length;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  length = self->units.length;
  g_mutex_unlock (&self->mutex);

  return length;
}

void
cf_scene_queue_add_outstanding (CfSceneQueue *self,
                                int           delta)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  g_warn_if_fail (delta >= 0 || self->outstanding >= (guint) -delta);
  if (delta < 0 && self->outstanding < (guint) -delta)
    self->outstanding = 0;
  else
    self->outstanding += delta;
  if (self->outstanding == 0)
    changed_locked (self);
  g_mutex_unlock (&self->mutex);
}

guint
cf_scene_queue_get_outstanding (CfSceneQueue *self)
{
  guint outstanding;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  outstanding = self->outstanding;
  g_mutex_unlock (&self->mutex);

  return outstanding;
}

guint
cf_scene_queue_account_out (CfSceneQueue *self,
                            guint         account)
{
  guint n_active;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (account < self->n_accounts, 0);

  g_mutex_lock (&self->mutex);
  if (self->active[account])
    {
      self->active[account] = FALSE;
      self->n_active--;

      /* Its share flows to the accounts still in. */
      for (GList *link = self->units.head; link != NULL; link = link->next)
        {
          CfSceneUnit *unit = link->data;

          if (unit->assigned == (int) account)
            unit->assigned = -1;
        }
    }
  n_active = self->n_active;
  changed_locked (self);
  g_mutex_unlock (&self->mutex);

  return n_active;
}

guint
cf_scene_queue_get_n_active (CfSceneQueue *self)
{
  guint n_active;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  n_active = self->n_active;
  g_mutex_unlock (&self->mutex);

  return n_active;
}

void
cf_scene_queue_stop (CfSceneQueue *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  changed_locked (self);
  g_mutex_unlock (&self->mutex);
}

gboolean
cf_scene_queue_is_stopping (CfSceneQueue *self)
{
  gboolean stopping;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);

  return stopping;
}

void
cf_scene_queue_wake (CfSceneQueue *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  changed_locked (self);
  g_mutex_unlock (&self->mutex);
}

void
cf_scene_queue_wait (CfSceneQueue *self,
                     guint64      *seen,
                     gint64        deadline)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (seen != NULL);

  g_mutex_lock (&self->mutex);
  while (self->changes == *seen)
    {
      if (deadline < 0)
        g_cond_wait (&self->cond, &self->mutex);
      else if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
        break;
    }
  *seen = self->changes;
  g_mutex_unlock (&self->mutex);
}

guint64
cf_scene_queue_get_changes (CfSceneQueue *self)
{
  guint64 changes;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  changes = self->changes;
  g_mutex_unlock (&self->mutex);

  return changes;
}
