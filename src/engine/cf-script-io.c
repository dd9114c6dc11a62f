/* cf-script-io.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "cf-error.h"
#include "cf-script-io-private.h"

#define UTF8_BOM "\xef\xbb\xbf"

void
_cf_script_set_error (GError     **error,
                      const char  *display_name,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *raw = NULL;
  va_list args;

  va_start (args, format);
  raw = g_strdup_vprintf (format, args);
  va_end (args);

  /* Parsers may quote a piece of a broken file; the message must stay printable. */
  message = g_utf8_make_valid (raw, -1);

  /* TRANSLATORS: the first %s is a file name, the second what is wrong with it. */
  g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT, _("%s: %s"), display_name, message);
}

void
_cf_script_set_error_at (GError     **error,
                         const char  *display_name,
                         guint        line,
                         guint        column,
                         const char  *format,
                         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *raw = NULL;
  va_list args;

  va_start (args, format);
  raw = g_strdup_vprintf (format, args);
  va_end (args);

  /* Parsers may quote a piece of a broken file; the message must stay printable. */
  message = g_utf8_make_valid (raw, -1);

  if (column > 0)
    g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                 /* TRANSLATORS: file name, line, column, then what is wrong there. */
                 _("%s, line %u, column %u: %s"), display_name, line, column, message);
  else
    g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                 /* TRANSLATORS: file name, line, then what is wrong there. */
                 _("%s, line %u: %s"), display_name, line, message);
}

guint
_cf_script_column (const char *line_start,
                   const char *p)
{
  return (guint) g_utf8_pointer_to_offset (line_start, p) + 1;
}

/*
 * Checks the encoding before any parser sees the bytes, so that every format
 * reports a bad byte the same way: by line and byte offset in that line.
 */
static gboolean
check_encoding (const char  *data,
                gsize        length,
                const char  *display_name,
                GError     **error)
{
  const char *end = NULL;
  const char *line_start = data;
  guint line = 1;

  if (length >= 2 &&
      (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe) ||
       ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)))
    {
      _cf_script_set_error (error, display_name,
                            _("the file is in UTF-16; save it as UTF-8 and open it again"));
      return FALSE;
    }

  if (g_utf8_validate_len (data, length, &end))
    return TRUE;

  for (const char *p = data; p < end; p++)
    {
      if (*p == '\n')
        {
          line++;
          line_start = p + 1;
        }
    }

  if (*end == '\0')
    g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                 /* TRANSLATORS: file name, line, byte offset in that line. */
                 _("%s, line %u, byte %u: a NUL byte; this is not a text file. "
                   "Open a script saved as JSON, plain text or CSV"),
                 display_name, line, (guint) (end - line_start) + 1);
  else
    g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                 /* TRANSLATORS: file name, line, byte offset in that line. */
                 _("%s, line %u, byte %u: the text is not valid UTF-8. "
                   "Save the file as UTF-8 in your editor and open it again"),
                 display_name, line, (guint) (end - line_start) + 1);

  return FALSE;
}

static gboolean
has_suffix_nocase (const char *name,
                   const char *suffix)
{
  gsize name_len = strlen (name);
  gsize suffix_len = strlen (suffix);

  return name_len >= suffix_len &&
         g_ascii_strcasecmp (name + name_len - suffix_len, suffix) == 0;
}

static gboolean
first_line_names_prompt (const char *data,
                         gsize       length)
{
  const char *eol = memchr (data, '\n', length);
  g_autofree char *line = g_ascii_strdown (data, eol ? eol - data : (gssize) length);
  g_auto(GStrv) cells = NULL;

  g_strdelimit (line, ";\t", ',');
  g_strdelimit (line, "\"\r", ' ');
  cells = g_strsplit (line, ",", -1);

  /* A lone "prompt" column is still a CSV file. */
  for (guint i = 0; cells[i] != NULL; i++)
    {
      if (g_str_equal (g_strstrip (cells[i]), "prompt"))
        return TRUE;
    }

  return FALSE;
}

CfScriptFormat
cf_script_format_guess (const char *filename,
                        const char *data,
                        gsize       length)
{
  if (filename != NULL)
    {
      if (has_suffix_nocase (filename, ".json"))
        return CF_SCRIPT_FORMAT_JSON;
      if (has_suffix_nocase (filename, ".csv") || has_suffix_nocase (filename, ".tsv"))
        return CF_SCRIPT_FORMAT_CSV;
      if (has_suffix_nocase (filename, ".txt") || has_suffix_nocase (filename, ".md") ||
          has_suffix_nocase (filename, ".text"))
        return CF_SCRIPT_FORMAT_TEXT;
    }

  if (data == NULL)
    return CF_SCRIPT_FORMAT_TEXT;

  if (length >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  for (gsize i = 0; i < length; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;

      if (data[i] == '{' || data[i] == '[')
        return CF_SCRIPT_FORMAT_JSON;

      return first_line_names_prompt (data + i, length - i) ? CF_SCRIPT_FORMAT_CSV
                                                            : CF_SCRIPT_FORMAT_TEXT;
    }

  return CF_SCRIPT_FORMAT_TEXT;
}

static void
set_too_large_error (GError     **error,
                     const char  *display_name)
{
  _cf_script_set_error (error, display_name,
                        _("the file is larger than %u MB; a script is a few kilobytes. "
                          "Check that you picked the right file"),
                        CF_SCRIPT_MAX_FILE_SIZE / (1024 * 1024));
}

CfScript *
cf_script_parse (const char      *data,
                 gsize            length,
                 CfScriptFormat   format,
                 const char      *display_name,
                 GError         **error)
{
  g_autofree char *copy = NULL;
  gboolean blank = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (display_name == NULL)
    display_name = _("The script");

  if (length > CF_SCRIPT_MAX_FILE_SIZE)
    {
      set_too_large_error (error, display_name);
      return NULL;
    }

  if (format == CF_SCRIPT_FORMAT_AUTO)
    format = cf_script_format_guess (display_name, data, length);

  if (length >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!check_encoding (data, length, display_name, error))
    return NULL;

  for (gsize i = 0; i < length && blank; i++)
    blank = g_ascii_isspace (data[i]);

  if (blank)
    {
      _cf_script_set_error (error, display_name,
                            _("the file is empty; write one scene per paragraph, "
                              "or open another file"));
      return NULL;
    }

  /* The parsers want a terminated string; valid UTF-8 has no NUL inside. */
  copy = g_strndup (data, length);

  switch (format)
    {
    case CF_SCRIPT_FORMAT_JSON:
      return _cf_script_parse_json (copy, length, display_name, error);

    case CF_SCRIPT_FORMAT_CSV:
      return _cf_script_parse_csv (copy, length, display_name, error);

    case CF_SCRIPT_FORMAT_TEXT:
    case CF_SCRIPT_FORMAT_AUTO:
    default:
      return _cf_script_parse_text (copy, length, display_name, error);
    }
}

char *
cf_script_serialize (CfScript       *script,
                     CfScriptFormat  format,
                     gsize          *length)
{
  g_return_val_if_fail (CF_IS_SCRIPT (script), NULL);

  switch (format)
    {
    case CF_SCRIPT_FORMAT_TEXT:
      return _cf_script_serialize_text (script, length);

    case CF_SCRIPT_FORMAT_CSV:
      return _cf_script_serialize_csv (script, length);

    case CF_SCRIPT_FORMAT_JSON:
    case CF_SCRIPT_FORMAT_AUTO:
    default:
      return _cf_script_serialize_json (script, length);
    }
}

static char *
dup_display_name (GFile     *file,
                  GFileInfo *info)
{
  if (info != NULL &&
      g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME))
    return g_strdup (g_file_info_get_display_name (info));

  return g_file_get_parse_name (file);
}

/* Scripts in text or CSV have no title of their own: the file name is a good one. */
static char *
title_from_basename (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *valid = NULL;
  char *dot;

  if (basename == NULL)
    return NULL;

  valid = g_utf8_make_valid (basename, -1);
  dot = strrchr (valid, '.');
  if (dot != NULL && dot != valid)
    *dot = '\0';

  return g_strdup (valid);
}

/* Cancellation is never an error to show: it passes through untouched. */
static gboolean
take_cancellation (GError **error,
                   GError **local_error)
{
  if (!g_error_matches (*local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  g_propagate_error (error, g_steal_pointer (local_error));

  return TRUE;
}

CfScript *
cf_script_load (GFile          *file,
                CfScriptFormat  format,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  display_name = dup_display_name (file, info);

  if (info == NULL)
    {
      if (!take_cancellation (error, &local_error))
        g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                     /* TRANSLATORS: a file name, then the system's reason. */
                     _("Could not open “%s”: %s"), display_name, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      _cf_script_set_error (error, display_name,
                            _("this is a folder; choose a script file inside it"));
      return NULL;
    }

  /* Refuse before reading, so that a huge file costs no memory. */
  if (g_file_info_get_size (info) > CF_SCRIPT_MAX_FILE_SIZE)
    {
      set_too_large_error (error, display_name);
      return NULL;
    }

  if (!g_file_load_contents (file, cancellable, &data, &length, NULL, &local_error))
    {
      if (!take_cancellation (error, &local_error))
        g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                     _("Could not open “%s”: %s"), display_name, local_error->message);
      return NULL;
    }

  if (format == CF_SCRIPT_FORMAT_AUTO)
    {
      g_autofree char *basename = g_file_get_basename (file);

      format = cf_script_format_guess (basename, data, length);
    }

  script = cf_script_parse (data, length, format, display_name, error);
  if (script == NULL)
    return NULL;

  if (cf_script_get_title (script)[0] == '\0')
    {
      g_autofree char *title = title_from_basename (file);

      cf_script_set_title (script, title);
    }

  return g_steal_pointer (&script);
}

/*
 * GIO writes through a symbolic link in place, truncating the target first;
 * saving to the link's target instead keeps both the link and atomicity.
 */
static GFile *
resolve_links (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  char *real;
  GFile *resolved;

  if (path == NULL || (real = realpath (path, NULL)) == NULL)
    return g_object_ref (file);

  resolved = g_file_new_for_path (real);
  free (real);

  return resolved;
}

gboolean
cf_script_save (CfScript        *script,
                GFile           *file,
                CfScriptFormat   format,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GFile) target = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (CF_IS_SCRIPT (script), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == CF_SCRIPT_FORMAT_AUTO)
    {
      g_autofree char *basename = g_file_get_basename (file);

      format = cf_script_format_guess (basename, NULL, 0);
      /* A name without a known extension is saved in the format that keeps everything. */
      if (basename == NULL ||
          !(has_suffix_nocase (basename, ".txt") || has_suffix_nocase (basename, ".md") ||
            has_suffix_nocase (basename, ".text") || has_suffix_nocase (basename, ".csv") ||
            has_suffix_nocase (basename, ".tsv")))
        format = CF_SCRIPT_FORMAT_JSON;
    }

  data = cf_script_serialize (script, format, &length);
  target = resolve_links (file);

  /*
   * On a local file GIO writes a temporary file next to the target and
   * renames it over the target once it is complete, so a crash or a full disk
   * leaves the previous version whole.
   */
  if (!g_file_replace_contents (target, data, length, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                cancellable, &local_error))
    {
      g_autofree char *display_name = g_file_get_parse_name (file);

      if (!take_cancellation (error, &local_error))
        g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                     /* TRANSLATORS: a file name, then the system's reason. */
                     _("Could not save “%s”: %s. The previous version of the file, if any, "
                       "is unchanged; choose another folder or free some space"),
                     display_name, local_error->message);
      return FALSE;
    }

  return TRUE;
}
