/* cf-legacy-import.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cf-account-store.h"
#include "cf-error.h"

/*
 * The accounts of the PyQt app Clipfleet replaces, from its config.json:
 *
 *   {"labs_accounts": [{"name": "Acc 1", "project_id": "…",
 *                       "tokens": ["ya29…", "…"], "enabled": true}],
 *    "tokens": ["ya29…"], "default_project_id": "…", …}
 *
 * Users pasted tokens into that app by hand, so a token list may also be one
 * string with the tokens on separate lines or between commas; that is
 * accepted. A value of the wrong JSON type is not guessed at: the error
 * names the field. Error messages never quote values, which may be tokens.
 */

typedef struct
{
  char      *name;
  char      *project_id;
  GPtrArray *tokens;
  gboolean   enabled;
} LegacyAccount;

static void
legacy_account_free (LegacyAccount *legacy)
{
  g_free (legacy->name);
  g_free (legacy->project_id);
  g_ptr_array_unref (legacy->tokens);
  g_free (legacy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LegacyAccount, legacy_account_free)

static gboolean G_GNUC_PRINTF (4, 5)
set_field_error (GError     **error,
                 GFile       *file,
                 const char  *field,
                 const char  *format,
                 ...)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: “%s” in “%s”: a field such as labs_accounts[2].tokens, then a file. */
  g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
               _("“%s” in “%s” %s"), field, name, what);
  return FALSE;
}

static gboolean
is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Splits pasted text into tokens: lines, commas, semicolons and blanks separate them. */
static void
add_tokens_from_text (GPtrArray  *tokens,
                      const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, "\n\r,; \t", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *token = parts[i];
      gboolean seen = FALSE;

      /* "Bearer ya29…" was pasted from a browser's request headers. */
      if (token[0] == '\0' || g_ascii_strcasecmp (token, "Bearer") == 0)
        continue;

      for (guint j = 0; j < tokens->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (tokens, j), token);

      if (!seen)
        g_ptr_array_add (tokens, g_strdup (token));
    }
}

static gboolean
read_tokens (GFile       *file,
             JsonNode    *node,
             const char  *field,
             GPtrArray   *tokens,
             GError     **error)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (is_string_node (node))
    {
      add_tokens_from_text (tokens, json_node_get_string (node));
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_NULL (element))
            continue;

          if (!is_string_node (element))
            return set_field_error (error, file, field, "%s",
                                    _("must be a list of tokens (text)"));

          add_tokens_from_text (tokens, json_node_get_string (element));
        }

      return TRUE;
    }

  return set_field_error (error, file, field, "%s",
                          _("must be a list of tokens or one text with a token per line"));
}

static gboolean
read_optional_string (GFile       *file,
                      JsonObject  *object,
                      const char  *member,
                      const char  *field,
                      char       **value,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!is_string_node (node))
    return set_field_error (error, file, field, "%s", _("must be text"));

  *value = g_strstrip (g_strdup (json_node_get_string (node)));
  if ((*value)[0] == '\0')
    g_clear_pointer (value, g_free);

  return TRUE;
}

static LegacyAccount *
read_labs_account (GFile      *file,
                   JsonNode   *node,
                   guint       index,
                   GError    **error)
{
  g_autoptr(LegacyAccount) legacy = g_new0 (LegacyAccount, 1);
  g_autofree char *field = g_strdup_printf ("labs_accounts[%u]", index);
  g_autofree char *name_field = g_strdup_printf ("labs_accounts[%u].name", index);
  g_autofree char *project_field = g_strdup_printf ("labs_accounts[%u].project_id", index);
  g_autofree char *tokens_field = g_strdup_printf ("labs_accounts[%u].tokens", index);
  g_autofree char *enabled_field = g_strdup_printf ("labs_accounts[%u].enabled", index);
  JsonObject *object;
  JsonNode *enabled;

  legacy->tokens = g_ptr_array_new_with_free_func (g_free);
  legacy->enabled = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field_error (error, file, field, "%s", _("must be an object"));
      return NULL;
    }

  object = json_node_get_object (node);

  if (!read_optional_string (file, object, "name", name_field, &legacy->name, error) ||
      !read_optional_string (file, object, "project_id", project_field,
                             &legacy->project_id, error) ||
      !read_tokens (file, json_object_get_member (object, "tokens"), tokens_field,
                    legacy->tokens, error))
    return NULL;

  enabled = json_object_get_member (object, "enabled");
  if (enabled != NULL && !JSON_NODE_HOLDS_NULL (enabled))
    {
      if (!JSON_NODE_HOLDS_VALUE (enabled) ||
          json_node_get_value_type (enabled) != G_TYPE_BOOLEAN)
        {
          set_field_error (error, file, enabled_field, "%s", _("must be true or false"));
          return NULL;
        }
      legacy->enabled = json_node_get_boolean (enabled);
    }

  if (legacy->name == NULL)
    /* Translators: the name of an imported account that had none; %u counts from 1. */
    legacy->name = g_strdup_printf (_("Account %u"), index + 1);

  return g_steal_pointer (&legacy);
}

/* Every account the file describes, in file order; NULL with an error. */
static GPtrArray *
read_legacy_config (GFile   *file,
                    GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) legacy_account_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(LegacyAccount) top = NULL;
  JsonObject *root;
  JsonNode *node;
  gsize len;

  if (!g_file_load_contents (file, NULL, &data, &len, NULL, &local_error))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("Could not read “%s”: %s"), name, local_error->message);
      return NULL;
    }

  /* The parser's message could quote a piece of a token; the position is enough. */
  if (!json_parser_load_from_data (parser, data, len, NULL))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("“%s” is not a valid JSON file"), name);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("“%s” is not a configuration file of the old app (no JSON object)"),
                   name);
      return NULL;
    }

  root = json_node_get_object (node);

  node = json_object_get_member (root, "labs_accounts");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_field_error (error, file, "labs_accounts", "%s", _("must be a list"));
          return NULL;
        }

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          LegacyAccount *legacy = read_labs_account (file, json_array_get_element (array, i),
                                                     i, error);

          if (legacy == NULL)
            return NULL;

          g_ptr_array_add (found, legacy);
        }
    }

  /* Before accounts had names, the app had one token list and one project. */
  top = g_new0 (LegacyAccount, 1);
  top->tokens = g_ptr_array_new_with_free_func (g_free);
  top->enabled = TRUE;
  top->name = g_strdup (_("Imported account"));

  if (!read_tokens (file, json_object_get_member (root, "tokens"), "tokens", top->tokens, error) ||
      !read_optional_string (file, root, "default_project_id", "default_project_id",
                             &top->project_id, error))
    return NULL;

  if (top->tokens->len > 0)
    g_ptr_array_add (found, g_steal_pointer (&top));

  if (found->len == 0 && json_object_get_member (root, "labs_accounts") == NULL &&
      json_object_get_member (root, "tokens") == NULL)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("“%s” holds no accounts: it has neither “labs_accounts” nor “tokens”"),
                   name);
      return NULL;
    }

  return g_steal_pointer (&found);
}

static gboolean
shares_a_token (const char * const *tokens,
                GPtrArray          *others)
{
  for (guint i = 0; tokens[i] != NULL; i++)
    for (guint j = 0; j < others->len; j++)
      if (g_str_equal (tokens[i], g_ptr_array_index (others, j)))
        return TRUE;

  return FALSE;
}

static gboolean
names_equal (const char *a,
             const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;

  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);

  return g_str_equal (fa, fb);
}

/*
 * The same account, imported before or listed twice: a Labs account with
 * the same project and either the same name or a token in common (the old
 * app's top-level tokens were usually also its first named account's).
 */
static gboolean
is_duplicate (CfAccount     *account,
              LegacyAccount *legacy)
{
  if (cf_account_get_kind (account) != CF_ACCOUNT_KIND_LABS ||
      g_strcmp0 (cf_account_get_project_id (account), legacy->project_id) != 0)
    return FALSE;

  return names_equal (cf_account_get_name (account), legacy->name) ||
         shares_a_token (cf_account_get_tokens (account), legacy->tokens);
}

int
cf_account_store_import_legacy (CfAccountStore  *self,
                                GFile           *config_json,
                                GError         **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), -1);
  g_return_val_if_fail (G_IS_FILE (config_json), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!(found = read_legacy_config (config_json, error)))
    return -1;

  for (guint i = 0; i < found->len; i++)
    {
      LegacyAccount *legacy = g_ptr_array_index (found, i);
      g_autoptr(CfAccount) account = NULL;
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self));
      gboolean duplicate = FALSE;

      /* An entry with neither a project nor a token carries nothing to import. */
      if (legacy->project_id == NULL && legacy->tokens->len == 0)
        continue;

      for (guint j = 0; j < n_items && !duplicate; j++)
        {
          g_autoptr(CfAccount) existing = g_list_model_get_item (G_LIST_MODEL (self), j);

          duplicate = is_duplicate (existing, legacy);
        }

      for (guint j = 0; j < added->len && !duplicate; j++)
        duplicate = is_duplicate (g_ptr_array_index (added, j), legacy);

      if (duplicate)
        continue;

      g_ptr_array_add (legacy->tokens, NULL);
      account = cf_account_new (CF_ACCOUNT_KIND_LABS, legacy->name);
      cf_account_set_project_id (account, legacy->project_id);
      cf_account_set_tokens (account, (const char * const *) legacy->tokens->pdata);
      cf_account_set_enabled (account, legacy->enabled);
      g_ptr_array_remove_index (legacy->tokens, legacy->tokens->len - 1);

      g_ptr_array_add (added, g_steal_pointer (&account));
    }

  /* Added only once the whole file is understood: an error imports nothing. */
  for (guint i = 0; i < added->len; i++)
    cf_account_store_add (self, g_ptr_array_index (added, i));

  return (int) added->len;
}
