/* cf-run-account.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-enum-types.h"
#include "cf-run-account-private.h"

struct _CfRunAccount
{
  GObject          parent_instance;

  char            *name;
  char            *id;
  CfAccountHealth  health;
  guint            in_flight;
  guint            limit;
  guint            done;
  guint            failed;
  guint            taken;
  gint64           credits;
  gint64           backoff_until;
  int              out_code;
  char            *out_reason;
};

G_DEFINE_FINAL_TYPE (CfRunAccount, cf_run_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ID,
  PROP_HEALTH,
  PROP_IN_FLIGHT,
  PROP_LIMIT,
  PROP_DONE,
  PROP_FAILED,
  PROP_TAKEN,
  PROP_CREDITS,
  PROP_BACKOFF_UNTIL,
  PROP_OUT_CODE,
  PROP_OUT_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cf_run_account_finalize (GObject *object)
{
  CfRunAccount *self = (CfRunAccount *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->out_reason, g_free);

  G_OBJECT_CLASS (cf_run_account_parent_class)->finalize (object);
}

static void
cf_run_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CfRunAccount *self = CF_RUN_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_HEALTH:
      g_value_set_enum (value, self->health);
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_FAILED:
      g_value_set_uint (value, self->failed);
      break;
    case PROP_TAKEN:
      g_value_set_uint (value, self->taken);
      break;
    case PROP_CREDITS:
      g_value_set_int64 (value, self->credits);
      break;
    case PROP_BACKOFF_UNTIL:
      g_value_set_int64 (value, self->backoff_until);
      break;
    case PROP_OUT_CODE:
      g_value_set_int (value, self->out_code);
      break;
    case PROP_OUT_REASON:
      g_value_set_string (value, self->out_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_run_account_class_init (CfRunAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cf_run_account_finalize;
  object_class->get_property = cf_run_account_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_HEALTH] =
    g_param_spec_enum ("health", NULL, NULL,
                       CF_TYPE_ACCOUNT_HEALTH, CF_ACCOUNT_HEALTH_READY, flags);
  properties[PROP_IN_FLIGHT] =
    g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DONE] =
    g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FAILED] =
    g_param_spec_uint ("failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TAKEN] =
    g_param_spec_uint ("taken", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CREDITS] =
    g_param_spec_int64 ("credits", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_BACKOFF_UNTIL] =
    g_param_spec_int64 ("backoff-until", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_OUT_CODE] =
    g_param_spec_int ("out-code", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_OUT_REASON] =
    g_param_spec_string ("out-reason", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_run_account_init (CfRunAccount *self)
{
  self->credits = -1;
  self->out_code = -1;
}

CfRunAccount *
cf_run_account_new (const char *id,
                    const char *name,
                    guint       limit)
{
  CfRunAccount *self = g_object_new (CF_TYPE_RUN_ACCOUNT, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->limit = limit;

  return self;
}

#define APPLY_FIELD(field, prop)                                        \
  G_STMT_START {                                                        \
    if (self->field != snapshot->field)                                 \
      {                                                                 \
        self->field = snapshot->field;                                  \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);   \
        changed = TRUE;                                                 \
      }                                                                 \
  } G_STMT_END

gboolean
cf_run_account_apply (CfRunAccount               *self,
                      const CfRunAccountSnapshot *snapshot)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  g_object_freeze_notify (G_OBJECT (self));
  APPLY_FIELD (health, PROP_HEALTH);
  APPLY_FIELD (in_flight, PROP_IN_FLIGHT);
  APPLY_FIELD (limit, PROP_LIMIT);
  APPLY_FIELD (done, PROP_DONE);
  APPLY_FIELD (failed, PROP_FAILED);
  APPLY_FIELD (taken, PROP_TAKEN);
  APPLY_FIELD (credits, PROP_CREDITS);
  APPLY_FIELD (backoff_until, PROP_BACKOFF_UNTIL);
  APPLY_FIELD (out_code, PROP_OUT_CODE);
  if (g_strcmp0 (self->out_reason, snapshot->out_reason) != 0)
    {
      g_free (self->out_reason);
      self->out_reason = g_strdup (snapshot->out_reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUT_REASON]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

#undef APPLY_FIELD

const char *
cf_run_account_get_name (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), NULL);
  return self->name;
}

const char *
cf_run_account_get_id (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), NULL);
  return self->id;
}

CfAccountHealth
cf_run_account_get_health (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), CF_ACCOUNT_HEALTH_READY);
  return self->health;
}

guint
cf_run_account_get_in_flight (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), 0);
  return self->in_flight;
}

guint
cf_run_account_get_limit (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), 0);
  return self->limit;
}

guint
cf_run_account_get_done (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), 0);
  return self->done;
}

guint
cf_run_account_get_failed (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), 0);
  return self->failed;
}

guint
cf_run_account_get_taken (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), 0);
  return self->taken;
}

gint64
cf_run_account_get_credits (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), -1);
  return self->credits;
}

gint64
cf_run_account_get_backoff_until (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), 0);
  return self->backoff_until;
}

int
cf_run_account_get_out_code (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), -1);
  return self->out_code;
}

const char *
cf_run_account_get_out_reason (CfRunAccount *self)
{
  g_return_val_if_fail (CF_IS_RUN_ACCOUNT (self), NULL);
  return self->out_reason;
}
