/* cf-script-csv.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV scripts (RFC 4180): a header row naming the columns, one scene per row.
 * "prompt" is required; "title", "aspect", "takes", "negative_prompt" and
 * "seed" are optional; other columns are ignored.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cf-script-io-private.h"

typedef enum
{
  COLUMN_PROMPT,
  COLUMN_TITLE,
  COLUMN_ASPECT,
  COLUMN_TAKES,
  COLUMN_NEGATIVE_PROMPT,
  COLUMN_SEED,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "prompt", "title", "aspect", "takes", "negative_prompt", "seed",
};

typedef struct
{
  char  *text;
  guint  line;
  guint  column;
} Field;

typedef struct
{
  const char *display_name;
  const char *p;
  const char *line_start;
  guint       line;
  char        delimiter;
} Reader;

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->text);
}

static GArray *
field_array_new (void)
{
  GArray *fields = g_array_new (FALSE, TRUE, sizeof (Field));

  g_array_set_clear_func (fields, field_clear);

  return fields;
}

static void
reader_newline (Reader *reader)
{
  reader->line++;
  reader->line_start = reader->p;
}

/*
 * Reads one record into fields. Returns FALSE on a syntax error; at the end of
 * the data it returns TRUE with no fields.
 */
static gboolean
read_record (Reader  *reader,
             GArray  *fields,
             GError **error)
{
  g_array_set_size (fields, 0);

  if (*reader->p == '\0')
    return TRUE;

  for (;;)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      Field field = { NULL, reader->line, _cf_script_column (reader->line_start, reader->p) };

      if (*reader->p == '"')
        {
          guint open_line = reader->line;
          guint open_column = field.column;

          reader->p++;
          for (;;)
            {
              char c = *reader->p;

              if (c == '\0')
                {
                  _cf_script_set_error_at (error, reader->display_name, open_line, open_column,
                                           _("this quoted field never ends; add the closing "
                                             "double quote (\")"));
                  return FALSE;
                }

              reader->p++;

              if (c == '"')
                {
                  if (*reader->p != '"')
                    break;
                  g_string_append_c (text, '"');
                  reader->p++;
                }
              else if (c == '\r' && *reader->p == '\n')
                {
                  /* CRLF inside a field is a line break like any other. */
                }
              else if (c == '\n')
                {
                  g_string_append_c (text, '\n');
                  reader_newline (reader);
                }
              else
                {
                  g_string_append_c (text, c);
                }
            }

          while (*reader->p == ' ' || (*reader->p == '\t' && reader->delimiter != '\t'))
            reader->p++;

          if (*reader->p != reader->delimiter && *reader->p != '\n' && *reader->p != '\0' &&
              !(reader->p[0] == '\r' && reader->p[1] == '\n'))
            {
              _cf_script_set_error_at (error, reader->display_name, reader->line,
                                       _cf_script_column (reader->line_start, reader->p),
                                       _("expected “%c” or the end of the line after the "
                                         "closing quote; to put a double quote inside a "
                                         "quoted field, write it twice (\"\")"),
                                       reader->delimiter);
              return FALSE;
            }
        }
      else
        {
          const char *start = reader->p;

          while (*reader->p != reader->delimiter && *reader->p != '\n' && *reader->p != '\0')
            reader->p++;

          g_string_append_len (text, start, reader->p - start);
          if (text->len > 0 && text->str[text->len - 1] == '\r' && *reader->p == '\n')
            g_string_truncate (text, text->len - 1);
        }

      field.text = g_string_free (g_steal_pointer (&text), FALSE);
      g_array_append_val (fields, field);

      if (*reader->p == reader->delimiter)
        {
          reader->p++;
          continue;
        }

      if (*reader->p == '\r')
        reader->p++;
      if (*reader->p == '\n')
        {
          reader->p++;
          reader_newline (reader);
        }

      return TRUE;
    }
}

static char *
normalize_header (const char *text)
{
  char *name = g_strstrip (g_ascii_strdown (text, -1));

  g_strdelimit (name, " -", '_');

  return name;
}

static gboolean
parse_header (Reader  *reader,
              int      columns[N_COLUMNS],
              guint   *n_header,
              GError **error)
{
  static const char delimiters[] = { ',', ';', '\t' };
  Reader start = *reader;
  g_autoptr(GArray) fields = field_array_new ();

  /* Spreadsheets in many locales write ";" or tabs; the header tells which. */
  for (guint d = 0; d < G_N_ELEMENTS (delimiters); d++)
    {
      *reader = start;
      reader->delimiter = delimiters[d];

      if (!read_record (reader, fields, error))
        return FALSE;

      for (guint c = 0; c < N_COLUMNS; c++)
        columns[c] = -1;

      for (guint i = 0; i < fields->len; i++)
        {
          Field *field = &g_array_index (fields, Field, i);
          g_autofree char *name = normalize_header (field->text);

          for (guint c = 0; c < N_COLUMNS; c++)
            {
              if (!g_str_equal (name, column_names[c]))
                continue;

              if (columns[c] >= 0)
                {
                  _cf_script_set_error_at (error, reader->display_name, field->line,
                                           field->column,
                                           _("the column “%s” appears twice; keep one"),
                                           column_names[c]);
                  return FALSE;
                }
              columns[c] = (int) i;
            }
        }

      if (columns[COLUMN_PROMPT] >= 0)
        {
          *n_header = fields->len;
          return TRUE;
        }
    }

  _cf_script_set_error_at (error, reader->display_name, start.line, 1,
                           _("there is no “prompt” column; the first row must name the "
                             "columns, for example: prompt,title,aspect"));
  return FALSE;
}

static gboolean
text_is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
record_is_blank (GArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      if (!text_is_blank (g_array_index (fields, Field, i).text))
        return FALSE;
    }

  return TRUE;
}

static const Field *
get_field (GArray *fields,
           int     index)
{
  if (index < 0 || (guint) index >= fields->len)
    return NULL;

  return &g_array_index (fields, Field, index);
}

static char *
field_text (GArray *fields,
            int     index)
{
  const Field *field = get_field (fields, index);

  return field ? g_strstrip (g_strdup (field->text)) : g_strdup ("");
}

static gboolean
read_scene (Reader     *reader,
            GArray     *fields,
            const int   columns[N_COLUMNS],
            guint       record_line,
            guint       scene_number,
            CfScene   **out,
            GError    **error)
{
  g_autoptr(CfScene) scene = NULL;
  g_autofree char *prompt = field_text (fields, columns[COLUMN_PROMPT]);
  g_autofree char *title = field_text (fields, columns[COLUMN_TITLE]);
  g_autofree char *aspect_text = field_text (fields, columns[COLUMN_ASPECT]);
  g_autofree char *takes_text = field_text (fields, columns[COLUMN_TAKES]);
  g_autofree char *negative = field_text (fields, columns[COLUMN_NEGATIVE_PROMPT]);
  g_autofree char *seed_text = field_text (fields, columns[COLUMN_SEED]);
  const Field *field;

  if (prompt[0] == '\0')
    {
      field = get_field (fields, columns[COLUMN_PROMPT]);
      _cf_script_set_error_at (error, reader->display_name, field ? field->line : record_line,
                               field ? field->column : 0,
                               _("scene %u has an empty prompt; write what the scene shows, "
                                 "or delete the row"),
                               scene_number);
      return FALSE;
    }

  scene = cf_scene_new (prompt);
  cf_scene_set_title (scene, title);
  cf_scene_set_negative_prompt (scene, negative);

  if (aspect_text[0] != '\0')
    {
      CfAspect aspect;

      if (!cf_aspect_from_string (aspect_text, &aspect))
        {
          field = get_field (fields, columns[COLUMN_ASPECT]);
          _cf_script_set_error_at (error, reader->display_name, field->line, field->column,
                                   _("“%s” is not an aspect ratio; write 16:9, 9:16 or 1:1, "
                                     "or leave it empty"),
                                   aspect_text);
          return FALSE;
        }
      cf_scene_set_aspect (scene, aspect);
    }

  if (takes_text[0] != '\0')
    {
      guint64 takes = 0;

      if (!g_ascii_string_to_unsigned (takes_text, 10, 1, CF_SCRIPT_MAX_TAKES, &takes, NULL))
        {
          field = get_field (fields, columns[COLUMN_TAKES]);
          _cf_script_set_error_at (error, reader->display_name, field->line, field->column,
                                   _("expected a number of takes from 1 to %u, found “%s”"),
                                   CF_SCRIPT_MAX_TAKES, takes_text);
          return FALSE;
        }
      cf_scene_set_takes (scene, (guint) takes);
    }

  if (seed_text[0] != '\0')
    {
      gint64 seed = 0;

      if (!g_ascii_string_to_signed (seed_text, 10, 0, CF_SCRIPT_MAX_SEED, &seed, NULL))
        {
          field = get_field (fields, columns[COLUMN_SEED]);
          _cf_script_set_error_at (error, reader->display_name, field->line, field->column,
                                   _("expected a seed from 0 to %lld, or nothing, found “%s”"),
                                   (long long) CF_SCRIPT_MAX_SEED, seed_text);
          return FALSE;
        }
      cf_scene_set_seed (scene, seed);
    }

  *out = g_steal_pointer (&scene);

  return TRUE;
}

CfScript *
_cf_script_parse_csv (const char  *data,
                      gsize        length,
                      const char  *display_name,
                      GError     **error)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GArray) fields = field_array_new ();
  Reader reader = { display_name, data, data, 1, ',' };
  int columns[N_COLUMNS];
  guint n_header = 0;

  /* Blank lines before the header are harmless. */
  while (*reader.p == '\n' || (*reader.p == '\r' && reader.p[1] == '\n'))
    {
      reader.p += *reader.p == '\r' ? 2 : 1;
      reader_newline (&reader);
    }

  if (!parse_header (&reader, columns, &n_header, error))
    return NULL;

  for (;;)
    {
      g_autoptr(CfScene) scene = NULL;
      guint record_line = reader.line;

      if (!read_record (&reader, fields, error))
        return NULL;

      if (fields->len == 0)
        break;

      /* Empty rows, and rows of empty cells that spreadsheets leave behind. */
      if (record_is_blank (fields))
        continue;

      for (guint i = n_header; i < fields->len; i++)
        {
          const Field *extra = &g_array_index (fields, Field, i);

          if (!text_is_blank (extra->text))
            {
              _cf_script_set_error_at (error, display_name, extra->line, extra->column,
                                       _("this row has more fields than the header has "
                                         "columns (%u); put text that contains “%c” in "
                                         "double quotes"),
                                       n_header, reader.delimiter);
              return NULL;
            }
        }

      if (cf_script_get_n_scenes (script) >= CF_SCRIPT_MAX_SCENES)
        {
          _cf_script_set_error_at (error, display_name, record_line, 0,
                                   _("more than %u scenes; split the script into several "
                                     "files"),
                                   CF_SCRIPT_MAX_SCENES);
          return NULL;
        }

      if (!read_scene (&reader, fields, columns, record_line,
                       cf_script_get_n_scenes (script) + 1, &scene, error))
        return NULL;

      cf_script_append_scene (script, scene);
    }

  if (cf_script_get_n_scenes (script) == 0)
    {
      _cf_script_set_error (error, display_name,
                            _("there are no scenes below the header row; add one row per "
                              "scene"));
      return NULL;
    }

  return g_steal_pointer (&script);
}

static gboolean
needs_quotes (const char *text)
{
  gsize len = strlen (text);

  return strpbrk (text, ",;\"\r\n\t") != NULL ||
         (len > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1])));
}

static void
append_field (GString    *out,
              const char *text)
{
  if (!needs_quotes (text))
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* CSV has no place for the script's title and defaults: they stay in JSON. */
char *
_cf_script_serialize_csv (CfScript *script,
                          gsize    *length)
{
  GString *out = g_string_new ("title,prompt,negative_prompt,aspect,takes,seed\r\n");

  for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
    {
      CfScene *scene = cf_script_get_scene (script, i);
      const char *aspect = cf_aspect_to_string (cf_scene_get_aspect (scene));

      append_field (out, cf_scene_get_title (scene));
      g_string_append_c (out, ',');
      append_field (out, cf_scene_get_prompt (scene));
      g_string_append_c (out, ',');
      append_field (out, cf_scene_get_negative_prompt (scene));
      g_string_append_c (out, ',');
      if (aspect != NULL)
        g_string_append (out, aspect);
      g_string_append_c (out, ',');
      if (cf_scene_get_takes (scene) > 0)
        g_string_append_printf (out, "%u", cf_scene_get_takes (scene));
      g_string_append_c (out, ',');
      if (cf_scene_get_seed (scene) >= 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, cf_scene_get_seed (scene));
      g_string_append (out, "\r\n");
    }

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}
