/* cf-script-json.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clipfleet JSON scripts (schema in the README, section "Scripts"), and the
 * bare arrays of prompts or scene objects that people paste.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cf-script-io-private.h"

#define FORMAT_NAME "clipfleet-script"

/* A script needs three levels; unknown fields may bring a few more. */
#define MAX_DEPTH 64

/*
 * json-glib reports syntax errors as "<data>:LINE:COLUMN: Parse error: what";
 * we give the user's file name instead of "<data>" and add what to do.
 */
static void
set_syntax_error (GError       **error,
                  const char    *display_name,
                  const GError  *json_error)
{
  const char *message = json_error->message;
  char *end = NULL;
  guint64 line = 0;
  guint64 column = 0;

  if (g_str_has_prefix (message, "<data>:"))
    {
      const char *p = message + strlen ("<data>:");

      line = g_ascii_strtoull (p, &end, 10);
      if (end != p && *end == ':')
        {
          p = end + 1;
          column = g_ascii_strtoull (p, &end, 10);
          if (end != p && *end == ':')
            {
              message = end + 1;
              while (*message == ' ')
                message++;
              if (g_str_has_prefix (message, "Parse error: "))
                message += strlen ("Parse error: ");
            }
          else
            line = 0;
        }
      else
        line = 0;
    }

  if (line > 0)
    _cf_script_set_error_at (error, display_name, (guint) line, (guint) column,
                             _("this is not valid JSON (%s). Look for a missing comma, "
                               "quote or bracket here or just before"),
                             message);
  else
    _cf_script_set_error (error, display_name,
                          _("this is not valid JSON (%s). Look for a missing comma, "
                            "quote or bracket"),
                          message);
}

typedef struct
{
  const char *display_name;
  const char *data;
} Source;

/*
 * json-glib keeps no positions in its tree, so to say where an ill-typed
 * field is, the (already valid) text is walked again, path by path, until the
 * value at the wanted path ("scenes[3].takes") starts. Only done for errors.
 */
typedef struct
{
  const char *p;
  const char *line_start;
  guint       line;
  const char *target;
  guint       found_line;
  guint       found_column;
} PathScanner;

static void
scanner_skip_space (PathScanner *scanner)
{
  while (*scanner->p != '\0' && g_ascii_isspace (*scanner->p))
    {
      if (*scanner->p == '\n')
        {
          scanner->line++;
          scanner->line_start = scanner->p + 1;
        }
      scanner->p++;
    }
}

/* Returns the string's content with escapes reduced to the escaped byte: enough for keys. */
static char *
scanner_read_string (PathScanner *scanner)
{
  GString *out = g_string_new (NULL);

  scanner->p++;
  while (*scanner->p != '\0' && *scanner->p != '"')
    {
      if (*scanner->p == '\\' && scanner->p[1] != '\0')
        scanner->p++;
      g_string_append_c (out, *scanner->p);
      scanner->p++;
    }

  if (*scanner->p == '"')
    scanner->p++;

  return g_string_free (out, FALSE);
}

/* FALSE stops the walk: the target was found, or the text is not what we expected. */
static gboolean
scanner_walk (PathScanner *scanner,
              const char  *path)
{
  scanner_skip_space (scanner);

  if (g_str_equal (path, scanner->target))
    {
      scanner->found_line = scanner->line;
      scanner->found_column = _cf_script_column (scanner->line_start, scanner->p);
      return FALSE;
    }

  switch (*scanner->p)
    {
    case '{':
      scanner->p++;
      for (;;)
        {
          g_autofree char *key = NULL;
          g_autofree char *child = NULL;

          scanner_skip_space (scanner);
          if (*scanner->p == '}')
            break;
          if (*scanner->p != '"')
            return FALSE;

          key = scanner_read_string (scanner);
          scanner_skip_space (scanner);
          if (*scanner->p != ':')
            return FALSE;
          scanner->p++;

          child = path[0] != '\0' ? g_strdup_printf ("%s.%s", path, key) : g_strdup (key);
          if (!scanner_walk (scanner, child))
            return FALSE;

          scanner_skip_space (scanner);
          if (*scanner->p == ',')
            scanner->p++;
          else if (*scanner->p != '}')
            return FALSE;
        }
      scanner->p++;
      return TRUE;

    case '[':
      scanner->p++;
      for (guint i = 0;; i++)
        {
          g_autofree char *child = NULL;

          scanner_skip_space (scanner);
          if (*scanner->p == ']')
            break;

          child = g_strdup_printf ("%s[%u]", path, i);
          if (!scanner_walk (scanner, child))
            return FALSE;

          scanner_skip_space (scanner);
          if (*scanner->p == ',')
            scanner->p++;
          else if (*scanner->p != ']')
            return FALSE;
        }
      scanner->p++;
      return TRUE;

    case '"':
      g_free (scanner_read_string (scanner));
      return TRUE;

    case '\0':
      return FALSE;

    default:
      while (*scanner->p != '\0' && strchr (",]} \t\r\n", *scanner->p) == NULL)
        scanner->p++;
      return TRUE;
    }
}

static gboolean
find_path (const char *data,
           const char *path,
           guint      *line,
           guint      *column)
{
  PathScanner scanner = { data, data, 1, path, 0, 0 };

  scanner_walk (&scanner, "");

  *line = scanner.found_line;
  *column = scanner.found_column;

  return scanner.found_line > 0;
}

/* prefix ends with "." or is empty; name may be empty when the path is the prefix itself. */
static void
set_path_error (GError       **error,
                const Source  *source,
                const char    *prefix,
                const char    *name,
                const char    *format,
                ...) G_GNUC_PRINTF (5, 6);

static void
set_path_error (GError       **error,
                const Source  *source,
                const char    *prefix,
                const char    *name,
                const char    *format,
                ...)
{
  g_autofree char *message = NULL;
  g_autofree char *path = g_strconcat (prefix, name, NULL);
  gsize len = strlen (path);
  guint line = 0;
  guint column = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (len > 0 && path[len - 1] == '.')
    path[len - 1] = '\0';

  if (path[0] != '\0' && find_path (source->data, path, &line, &column))
    _cf_script_set_error_at (error, source->display_name, line, column, "%s", message);
  else
    _cf_script_set_error (error, source->display_name, "%s", message);
}

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY: return _("a list");
    case JSON_NODE_NULL: return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return _("text");
    case G_TYPE_BOOLEAN: return _("true or false");
    default: return _("a number");
    }
}

/* Absent and null are the same: "not set". */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             const char  *path,
             const char  *suffix,
             const Source *source,
             const char **value,
             GError     **error)
{
  JsonNode *node = get_member (object, name);

  *value = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_path_error (error, source, path, name,
                      _("%s%s%s: expected text in double quotes, found %s"),
                      path, name, suffix, describe_node (node));
      return FALSE;
    }

  *value = json_node_get_string (node);

  return TRUE;
}

/* Whole numbers may come as 2 or 2.0 (some tools write every number as a double). */
static gboolean
read_integer (JsonObject  *object,
              const char  *name,
              const char  *path,
              const char  *suffix,
              const Source *source,
              gint64       min,
              gint64       max,
              gint64      *value,
              gboolean    *present,
              GError     **error)
{
  JsonNode *node = get_member (object, name);
  gboolean ok = FALSE;
  gint64 number = 0;

  *present = FALSE;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        {
          number = json_node_get_int (node);
          ok = TRUE;
        }
      else if (type == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          if (d >= -9.0e15 && d <= 9.0e15 && d == (double) (gint64) d)
            {
              number = (gint64) d;
              ok = TRUE;
            }
        }
    }

  if (!ok || number < min || number > max)
    {
      set_path_error (error, source, path, name,
                      _("%s%s%s: expected a whole number from %lld to %lld, found %s"),
                      path, name, suffix, (long long) min, (long long) max,
                      ok ? _("a number out of range") : describe_node (node));
      return FALSE;
    }

  *value = number;
  *present = TRUE;

  return TRUE;
}

static gboolean
read_aspect (JsonObject  *object,
             const char  *path,
             const char  *suffix,
             const Source *source,
             CfAspect    *aspect,
             GError     **error)
{
  const char *text = NULL;

  *aspect = CF_ASPECT_DEFAULT;

  if (!read_string (object, "aspect", path, suffix, source, &text, error))
    return FALSE;

  if (text != NULL && !cf_aspect_from_string (text, aspect))
    {
      set_path_error (error, source, path, "aspect",
                      _("%saspect%s: “%s” is not an aspect ratio; use \"16:9\", "
                        "\"9:16\" or \"1:1\""),
                      path, suffix, text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static void
set_empty_prompt_error (GError     **error,
                        const Source *source,
                        const char  *path,
                        guint        index)
{
  set_path_error (error, source, path, "",
                  _("%s (scene %u): the prompt is empty; write what the scene shows, "
                    "or delete the scene"),
                  path, index + 1);
}

static CfScene *
read_scene (JsonNode    *node,
            const char  *list_path,
            guint        index,
            const Source *source,
            GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s[%u]", list_path, index);
  g_autofree char *prefix = g_strdup_printf ("%s.", path);
  g_autofree char *suffix = g_strdup_printf (_(" (scene %u)"), index + 1);
  g_autoptr(CfScene) scene = NULL;
  JsonObject *object;
  const char *prompt = NULL;
  const char *title = NULL;
  const char *negative_prompt = NULL;
  CfAspect aspect;
  gint64 value = 0;
  gboolean present = FALSE;

  /* A bare string is a scene with just a prompt. */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      prompt = json_node_get_string (node);
      if (is_blank (prompt))
        {
          set_empty_prompt_error (error, source, path, index);
          return NULL;
        }

      return cf_scene_new (prompt);
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_path_error (error, source, path, "",
                      _("%s (scene %u): expected a scene object {\"prompt\": \"…\"} or "
                        "a prompt in double quotes, found %s"),
                      path, index + 1, describe_node (node));
      return NULL;
    }

  object = json_node_get_object (node);

  if (!read_string (object, "prompt", prefix, suffix, source, &prompt, error))
    return NULL;

  if (prompt == NULL)
    {
      set_path_error (error, source, path, "",
                      _("%s (scene %u): there is no \"prompt\"; every scene needs one"),
                      path, index + 1);
      return NULL;
    }

  if (is_blank (prompt))
    {
      set_empty_prompt_error (error, source, path, index);
      return NULL;
    }

  scene = cf_scene_new (prompt);

  if (!read_string (object, "title", prefix, suffix, source, &title, error) ||
      !read_string (object, "negative_prompt", prefix, suffix, source, &negative_prompt,
                    error) ||
      !read_aspect (object, prefix, suffix, source, &aspect, error))
    return NULL;

  cf_scene_set_title (scene, title);
  cf_scene_set_negative_prompt (scene, negative_prompt);
  cf_scene_set_aspect (scene, aspect);

  if (!read_integer (object, "takes", prefix, suffix, source, 1, CF_SCRIPT_MAX_TAKES,
                     &value, &present, error))
    return NULL;
  if (present)
    cf_scene_set_takes (scene, (guint) value);

  if (!read_integer (object, "seed", prefix, suffix, source, 0, CF_SCRIPT_MAX_SEED,
                     &value, &present, error))
    return NULL;
  if (present)
    cf_scene_set_seed (scene, value);

  return g_steal_pointer (&scene);
}

static gboolean
read_scenes (CfScript    *script,
             JsonArray   *array,
             const char  *list_path,
             const Source *source,
             GError     **error)
{
  guint n = json_array_get_length (array);

  if (n > CF_SCRIPT_MAX_SCENES)
    {
      set_path_error (error, source, list_path, "",
                      _("%u scenes, more than the %u a script may hold; split it into "
                        "several files"),
                      n, CF_SCRIPT_MAX_SCENES);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfScene) scene = read_scene (json_array_get_element (array, i), list_path, i,
                                             source, error);

      if (scene == NULL)
        return FALSE;

      cf_script_append_scene (script, scene);
    }

  return TRUE;
}

static gboolean
read_header (CfScript    *script,
             JsonObject  *root,
             const Source *source,
             GError     **error)
{
  const char *format = NULL;
  const char *title = NULL;
  gint64 version = 1;
  gboolean present = FALSE;
  JsonNode *defaults;

  if (!read_string (root, "format", "", "", source, &format, error))
    return FALSE;

  if (format != NULL && g_strcmp0 (format, FORMAT_NAME) != 0)
    {
      set_path_error (error, source, "", "format",
                      _("format: this is a “%s” file, not a Clipfleet script "
                        "(\"format\": \"%s\")"),
                      format, FORMAT_NAME);
      return FALSE;
    }

  if (!read_integer (root, "version", "", "", source, 1, G_MAXINT32, &version, &present,
                     error))
    return FALSE;

  if (version > CF_SCRIPT_JSON_VERSION)
    {
      set_path_error (error, source, "", "version",
                      _("the script was written by a newer Clipfleet (script format "
                        "version %d; this one reads version %d). Update Clipfleet to "
                        "open it"),
                      (int) version, CF_SCRIPT_JSON_VERSION);
      return FALSE;
    }

  if (!read_string (root, "title", "", "", source, &title, error))
    return FALSE;
  cf_script_set_title (script, title);

  defaults = get_member (root, "defaults");
  if (defaults != NULL)
    {
      JsonObject *object;
      CfAspect aspect;
      gint64 takes = 0;

      if (!JSON_NODE_HOLDS_OBJECT (defaults))
        {
          set_path_error (error, source, "", "defaults",
                          _("defaults: expected an object {\"aspect\": \"16:9\", "
                            "\"takes\": 1}, found %s"),
                          describe_node (defaults));
          return FALSE;
        }

      object = json_node_get_object (defaults);
      if (!read_aspect (object, "defaults.", "", source, &aspect, error))
        return FALSE;
      cf_script_set_default_aspect (script, aspect);

      if (!read_integer (object, "takes", "defaults.", "", source, 1, CF_SCRIPT_MAX_TAKES,
                         &takes, &present, error))
        return FALSE;
      if (present)
        cf_script_set_default_takes (script, (guint) takes);
    }

  return TRUE;
}

/*
 * json-glib's parser recurses once per level, so a file of a few megabytes of
 * "[" would overflow the stack: refuse deep nesting before it sees the data.
 */
static gboolean
check_depth (const char  *data,
             const char  *display_name,
             GError     **error)
{
  const char *line_start = data;
  gboolean in_string = FALSE;
  guint line = 1;
  guint depth = 0;

  for (const char *p = data; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          else if (*p == '\n')
            {
              line++;
              line_start = p + 1;
            }
          continue;
        }

      switch (*p)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > MAX_DEPTH)
            {
              _cf_script_set_error_at (error, display_name, line,
                                       _cf_script_column (line_start, p),
                                       _("the data is nested more than %d levels deep; this is "
                                         "not a script"),
                                       MAX_DEPTH);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        case '\n':
          line++;
          line_start = p + 1;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

CfScript *
_cf_script_parse_json (const char  *data,
                       gsize        length,
                       const char  *display_name,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GError) json_error = NULL;
  const Source source = { display_name, data };
  JsonNode *root;

  if (!check_depth (data, display_name, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      set_syntax_error (error, display_name, json_error);
      return NULL;
    }

  root = json_parser_get_root (parser);

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      if (!read_scenes (script, json_node_get_array (root), "", &source, error))
        return NULL;

      return g_steal_pointer (&script);
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _cf_script_set_error (error, display_name,
                            _("expected a Clipfleet script {\"format\": \"%s\", …} or a list "
                              "of prompts [\"…\", \"…\"]"),
                            FORMAT_NAME);
      return NULL;
    }

  if (!read_header (script, json_node_get_object (root), &source, error))
    return NULL;

  {
    JsonNode *scenes = get_member (json_node_get_object (root), "scenes");

    if (scenes == NULL)
      {
        _cf_script_set_error (error, display_name,
                              _("there is no \"scenes\" list; a script holds "
                                "\"scenes\": [{\"prompt\": \"…\"}, …]"));
        return NULL;
      }

    if (!JSON_NODE_HOLDS_ARRAY (scenes))
      {
        set_path_error (error, &source, "", "scenes",
                        _("scenes: expected a list [ … ], found %s"),
                        describe_node (scenes));
        return NULL;
      }

    if (!read_scenes (script, json_node_get_array (scenes), "scenes", &source, error))
      return NULL;
  }

  return g_steal_pointer (&script);
}

char *
_cf_script_serialize_json (CfScript *script,
                           gsize    *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *aspect;
  char *data;
  gsize data_length = 0;
  GString *out;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CF_SCRIPT_JSON_VERSION);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, cf_script_get_title (script));

  json_builder_set_member_name (builder, "defaults");
  json_builder_begin_object (builder);
  aspect = cf_aspect_to_string (cf_script_get_default_aspect (script));
  if (aspect != NULL)
    {
      json_builder_set_member_name (builder, "aspect");
      json_builder_add_string_value (builder, aspect);
    }
  if (cf_script_get_default_takes (script) > 0)
    {
      json_builder_set_member_name (builder, "takes");
      json_builder_add_int_value (builder, cf_script_get_default_takes (script));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "scenes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
    {
      CfScene *scene = cf_script_get_scene (script, i);

      json_builder_begin_object (builder);
      if (cf_scene_get_title (scene)[0] != '\0')
        {
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, cf_scene_get_title (scene));
        }
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, cf_scene_get_prompt (scene));
      if (cf_scene_get_negative_prompt (scene)[0] != '\0')
        {
          json_builder_set_member_name (builder, "negative_prompt");
          json_builder_add_string_value (builder, cf_scene_get_negative_prompt (scene));
        }
      aspect = cf_aspect_to_string (cf_scene_get_aspect (scene));
      if (aspect != NULL)
        {
          json_builder_set_member_name (builder, "aspect");
          json_builder_add_string_value (builder, aspect);
        }
      if (cf_scene_get_takes (scene) > 0)
        {
          json_builder_set_member_name (builder, "takes");
          json_builder_add_int_value (builder, cf_scene_get_takes (scene));
        }
      if (cf_scene_get_seed (scene) >= 0)
        {
          json_builder_set_member_name (builder, "seed");
          json_builder_add_int_value (builder, cf_scene_get_seed (scene));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  data = json_generator_to_data (generator, &data_length);

  /* Text files end with a newline; diff and git complain otherwise. */
  out = g_string_new_len (data, data_length);
  g_string_append_c (out, '\n');
  g_free (data);

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}
