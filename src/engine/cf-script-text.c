/* cf-script-text.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain text scripts: one scene per paragraph, paragraphs separated by lines
 * that hold nothing but white space, and an optional first line "# Title".
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cf-script-io-private.h"

static void
cf_paragraph_free (gpointer data)
{
  CfParagraph *paragraph = data;

  g_free (paragraph->text);
  g_free (paragraph);
}

/* Unicode white space counts too: a no-break space alone still looks like a blank line. */
static gboolean
is_blank (const char *line,
          gsize       length)
{
  const char *end = line + length;

  for (const char *p = line; p < end; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static void
finish_paragraph (GPtrArray *paragraphs,
                  GString   *current,
                  guint      first_line)
{
  CfParagraph *paragraph;

  if (current->len == 0)
    return;

  paragraph = g_new0 (CfParagraph, 1);
  paragraph->text = g_strstrip (g_strdup (current->str));
  paragraph->line = first_line;
  g_ptr_array_add (paragraphs, paragraph);
  g_string_truncate (current, 0);
}

GPtrArray *
_cf_script_split_paragraphs (const char  *text,
                             gsize        length,
                             char       **title)
{
  g_autoptr(GPtrArray) paragraphs = g_ptr_array_new_with_free_func (cf_paragraph_free);
  g_autoptr(GString) current = g_string_new (NULL);
  const char *end = text + length;
  const char *line = text;
  guint line_number = 1;
  guint first_line = 0;

  if (title != NULL)
    *title = NULL;

  /* One more than the limit is enough for the caller to refuse the file. */
  while (line < end && paragraphs->len <= CF_SCRIPT_MAX_SCENES)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *next = eol ? eol + 1 : end;
      gsize line_length = (eol ? eol : end) - line;

      if (line_length > 0 && line[line_length - 1] == '\r')
        line_length--;

      if (line_number == 1 && title != NULL && line[0] == '#')
        {
          const char *start = line;

          while (start < line + line_length && *start == '#')
            start++;
          *title = g_strstrip (g_strndup (start, line + line_length - start));
        }
      else if (is_blank (line, line_length))
        {
          finish_paragraph (paragraphs, current, first_line);
        }
      else
        {
          if (current->len == 0)
            first_line = line_number;
          else
            g_string_append_c (current, '\n');

          g_string_append_len (current, line, line_length);
          /* Trailing blanks on a line are invisible in any editor; keep none. */
          while (current->len > 0 && g_ascii_isspace (current->str[current->len - 1]))
            g_string_truncate (current, current->len - 1);
        }

      line = next;
      line_number++;
    }

  if (paragraphs->len <= CF_SCRIPT_MAX_SCENES)
    finish_paragraph (paragraphs, current, first_line);

  return g_steal_pointer (&paragraphs);
}

CfScript *
_cf_script_parse_text (const char  *data,
                       gsize        length,
                       const char  *display_name,
                       GError     **error)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autofree char *title = NULL;

  paragraphs = _cf_script_split_paragraphs (data, length, &title);

  if (paragraphs->len == 0)
    {
      _cf_script_set_error (error, display_name,
                            _("there are no scenes; write each scene’s prompt as a paragraph, "
                              "with a blank line between scenes"));
      return NULL;
    }

  if (paragraphs->len > CF_SCRIPT_MAX_SCENES)
    {
      const CfParagraph *extra = g_ptr_array_index (paragraphs, CF_SCRIPT_MAX_SCENES);

      _cf_script_set_error_at (error, display_name, extra->line, 0,
                               _("more than %u scenes; split the script into several files"),
                               CF_SCRIPT_MAX_SCENES);
      return NULL;
    }

  if (title != NULL)
    cf_script_set_title (script, title);

  for (guint i = 0; i < paragraphs->len; i++)
    {
      const CfParagraph *paragraph = g_ptr_array_index (paragraphs, i);
      g_autoptr(CfScene) scene = cf_scene_new (paragraph->text);

      cf_script_append_scene (script, scene);
    }

  return g_steal_pointer (&script);
}

/* A blank line inside a prompt would split it in two when read back. */
static void
append_prompt (GString    *out,
               const char *prompt)
{
  g_auto(GStrv) lines = g_strsplit (prompt, "\n", -1);
  gboolean first = TRUE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);

      if (is_blank (line, strlen (line)))
        continue;

      if (!first)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
      first = FALSE;
    }
}

static char *
single_line (const char *text)
{
  char *copy = g_strdup (text);

  g_strdelimit (copy, "\r\n", ' ');

  return g_strstrip (copy);
}

char *
_cf_script_serialize_text (CfScript *script,
                           gsize    *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) prompts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *title = single_line (cf_script_get_title (script));

  for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
    {
      GString *prompt = g_string_new (NULL);

      append_prompt (prompt, cf_scene_get_prompt (cf_script_get_scene (script, i)));
      if (prompt->len > 0)
        g_ptr_array_add (prompts, g_string_free (prompt, FALSE));
      else
        g_string_free (prompt, TRUE);
    }

  /*
   * A first line starting with "#" is read as the title; an empty title line
   * keeps a first prompt that starts with "#" from becoming one.
   */
  if (title[0] != '\0')
    g_string_append_printf (out, "# %s\n\n", title);
  else if (prompts->len > 0 && ((char *) g_ptr_array_index (prompts, 0))[0] == '#')
    g_string_append (out, "#\n\n");

  for (guint i = 0; i < prompts->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, g_ptr_array_index (prompts, i));
      g_string_append_c (out, '\n');
    }

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}
