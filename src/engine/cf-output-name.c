/* cf-output-name.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-output-name.h"

/* Room for the longest names other programs may add (".mp4.part", a counter). */
#define MAX_NAME_BYTES 120

static const char *fallback_name = "untitled";

/* Names Windows refuses whatever the extension; a script may be copied to a USB stick. */
static gboolean
is_reserved_name (const char *name)
{
  static const char * const reserved[] = {
    "con", "prn", "aux", "nul",
    "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
  };
  g_autofree char *stem = NULL;
  const char *dot = strchr (name, '.');

  stem = g_ascii_strdown (name, dot ? dot - name : -1);

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    {
      if (g_str_equal (stem, reserved[i]))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_trimmed (gunichar c)
{
  return c == '-' || c == '.' || c == '_' || c == ' ';
}

/* Drops separators and dots at both ends: no hidden files, no "..", no trailing dot. */
static void
trim_ends (GString *name)
{
  gsize start = 0;

  while (name->len > 0 && is_trimmed (name->str[name->len - 1]))
    g_string_truncate (name, name->len - 1);

  while (start < name->len && is_trimmed (name->str[start]))
    start++;

  g_string_erase (name, 0, start);
}

static void
truncate_utf8 (GString *name,
               gsize    max_bytes)
{
  const char *end;

  if (name->len <= max_bytes)
    return;

  /* Back up to the start of the character that would be cut in half. */
  end = name->str + max_bytes;
  while (end > name->str && ((guchar) *end & 0xc0) == 0x80)
    end--;

  g_string_truncate (name, end - name->str);
}

static char *
sanitize (const char *text,
          gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  gboolean pending_dash = FALSE;

  if (text == NULL)
    text = "";

  /*
   * Composed, lower-case letters keep Vietnamese and other scripts readable
   * ("Quảng cáo" stays "quảng-cáo") while every byte that could mean
   * something to a file system becomes a dash.
   */
  valid = g_utf8_make_valid (text, -1);
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  lower = g_utf8_strdown (composed != NULL ? composed : valid, -1);

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean keep;

      if (c == 0xfffd)
        continue;

      keep = g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '_' || c == '.';

      if (!keep)
        {
          pending_dash = TRUE;
          continue;
        }

      /* Two dots in a row could read as a parent folder to a careless tool. */
      if (c == '.' && name->len > 0 && name->str[name->len - 1] == '.' && !pending_dash)
        continue;

      if (pending_dash && name->len > 0)
        g_string_append_c (name, '-');
      pending_dash = FALSE;

      g_string_append_unichar (name, c);
    }

  trim_ends (name);
  truncate_utf8 (name, max_bytes);
  trim_ends (name);

  if (name->len == 0)
    g_string_assign (name, fallback_name);

  if (is_reserved_name (name->str))
    {
      g_string_insert_c (name, 0, '_');
      truncate_utf8 (name, max_bytes);
      while (is_trimmed (name->str[name->len - 1]))
        g_string_truncate (name, name->len - 1);
    }

  return g_string_free (g_steal_pointer (&name), FALSE);
}

char *
cf_output_name_sanitize (const char *text)
{
  return sanitize (text, MAX_NAME_BYTES);
}

char *
cf_output_name_for_take (const char *script_title,
                         guint       scene_number,
                         guint       take_number)
{
  g_autofree char *suffix = g_strdup_printf ("-s%02u-t%u", scene_number, take_number);
  g_autofree char *title = sanitize (script_title, MAX_NAME_BYTES - strlen (suffix));

  return g_strconcat (title, suffix, NULL);
}
