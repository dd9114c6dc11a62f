/* cf-log-line.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-log-line.h"

struct _CfLogLine
{
  GObject     parent_instance;

  GDateTime  *time;
  char       *text;
  CfLogLevel  level;
};

G_DEFINE_FINAL_TYPE (CfLogLine, cf_log_line, G_TYPE_OBJECT)

static CfLogLevel
guess_level (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  /* The engine's lines are plain sentences; their first word (or an
   * explicit prefix) says how bad they are. */
  if (g_str_has_prefix (lower, "error") || g_str_has_prefix (lower, "[error]")
      || strstr (lower, " failed") != NULL || strstr (lower, " is out") != NULL)
    return CF_LOG_LEVEL_ERROR;
  if (g_str_has_prefix (lower, "warning") || g_str_has_prefix (lower, "[warn")
      || strstr (lower, "retry") != NULL || strstr (lower, "backing off") != NULL
      || strstr (lower, "throttled") != NULL)
    return CF_LOG_LEVEL_WARNING;
  return CF_LOG_LEVEL_INFO;
}

CfLogLine *
cf_log_line_new (GDateTime  *time,
                 const char *text)
{
  CfLogLine *self;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (CF_TYPE_LOG_LINE, NULL);
  self->time = time != NULL ? g_date_time_ref (time) : g_date_time_new_now_local ();
  self->text = g_strdup (text);
  self->level = guess_level (text);

  return self;
}

CfLogLevel
cf_log_line_get_level (CfLogLine *self)
{
  g_return_val_if_fail (CF_IS_LOG_LINE (self), CF_LOG_LEVEL_INFO);

  return self->level;
}

GDateTime *
cf_log_line_get_time (CfLogLine *self)
{
  g_return_val_if_fail (CF_IS_LOG_LINE (self), NULL);

  return self->time;
}

const char *
cf_log_line_get_text (CfLogLine *self)
{
  g_return_val_if_fail (CF_IS_LOG_LINE (self), NULL);

  return self->text;
}

char *
cf_log_line_dup_time_string (CfLogLine *self)
{
  g_return_val_if_fail (CF_IS_LOG_LINE (self), NULL);

  return g_date_time_format (self->time, "%H:%M:%S");
}

const char *
cf_log_line_get_level_label (CfLogLine *self)
{
  g_return_val_if_fail (CF_IS_LOG_LINE (self), NULL);

  switch (self->level)
    {
    case CF_LOG_LEVEL_ERROR:
      return C_("log level", "error");
    case CF_LOG_LEVEL_WARNING:
      return C_("log level", "warning");
    case CF_LOG_LEVEL_INFO:
    default:
      return C_("log level", "info");
    }
}

char *
cf_log_line_to_string (CfLogLine *self)
{
  g_autofree char *time = NULL;

  g_return_val_if_fail (CF_IS_LOG_LINE (self), NULL);

  time = cf_log_line_dup_time_string (self);
  return g_strdup_printf ("%s %-7s %s", time, cf_log_line_get_level_label (self), self->text);
}

static void
cf_log_line_finalize (GObject *object)
{
  CfLogLine *self = CF_LOG_LINE (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (cf_log_line_parent_class)->finalize (object);
}

static void
cf_log_line_class_init (CfLogLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cf_log_line_finalize;
}

static void
cf_log_line_init (CfLogLine *self)
{
}
