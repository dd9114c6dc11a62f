/* cf-cli-accounts-file.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The accounts file for headless runs (servers, CI, tests), used instead of
 * the account store:
 *
 *   { "accounts": [ { "kind": "labs", "name": "A", "project_id": "...",
 *                     "tokens": ["..."], "enabled": true, "tier": "...",
 *                     "max_in_flight": 4, "model_key": "...",
 *                     "request_form": "classic" },
 *                   { "kind": "gemini", "name": "G", "api_key": "..." } ] }
 */

#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-cli.h"
#include "cf-account.h"
#include "cf-error.h"

/*
 * An account of the file that gives no "id" gets one derived from its kind,
 * name and project, so that a run resumed with the same file finds the
 * accounts that hold its handles.
 */
static char *
derive_account_id (CfAccountKind  kind,
                   const char    *name,
                   const char    *project_id)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *hex;

  g_checksum_update (checksum, (const guchar *) cf_account_kind_to_string (kind), -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) name, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (project_id != NULL)
    g_checksum_update (checksum, (const guchar *) project_id, -1);

  hex = g_checksum_get_string (checksum);

  /* Shaped like a UUID, version nibble 5 (name-based). */
  return g_strdup_printf ("%.8s-%.4s-5%.3s-a%.3s-%.12s",
                          hex, hex + 8, hex + 13, hex + 17, hex + 20);
}

static const char *
get_string_member (JsonObject *object,
                   const char *member,
                   const char *path,
                   guint       index,
                   GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("%s: account %u: “%s” must be a string"), path, index + 1, member);
      return NULL;
    }

  return json_node_get_string (node);
}

static CfAccount *
account_from_json (JsonNode    *node,
                   const char  *path,
                   guint        index,
                   GError     **error)
{
  g_autoptr(CfAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  CfAccountKind kind = CF_ACCOUNT_KIND_LABS;
  const char *kind_text;
  const char *name;
  const char *project_id;
  const char *text;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("%s: account %u is not an object"), path, index + 1);
      return NULL;
    }
  object = json_node_get_object (node);

#define STRING_MEMBER(var, key) \
  G_STMT_START { \
    var = get_string_member (object, key, path, index, &local_error); \
    if (local_error != NULL) \
      { \
        g_propagate_error (error, g_steal_pointer (&local_error)); \
        return NULL; \
      } \
  } G_STMT_END

  STRING_MEMBER (kind_text, "kind");
  if (kind_text != NULL && !cf_account_kind_from_string (kind_text, &kind))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("%s: account %u: unknown kind “%s” (expected labs or gemini)"),
                   path, index + 1, kind_text);
      return NULL;
    }

  STRING_MEMBER (name, "name");
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("%s: account %u has no name"), path, index + 1);
      return NULL;
    }

  STRING_MEMBER (project_id, "project_id");

  account = cf_account_new (kind, name);
  STRING_MEMBER (text, "id");
  id = text != NULL ? g_strdup (text) : derive_account_id (kind, name, project_id);
  cf_account_set_id (account, id);
  cf_account_set_project_id (account, project_id);

  STRING_MEMBER (text, "tier");
  cf_account_set_tier (account, text);
  STRING_MEMBER (text, "model_key");
  cf_account_set_model_key (account, text);
  STRING_MEMBER (text, "api_key");
  cf_account_set_api_key (account, text);

  STRING_MEMBER (text, "request_form");
  if (text != NULL)
    {
      if (g_str_equal (text, "classic"))
        cf_account_set_request_form (account, CF_REQUEST_FORM_CLASSIC);
      else if (g_str_equal (text, "2026"))
        cf_account_set_request_form (account, CF_REQUEST_FORM_2026);
      else
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("%s: account %u: request_form must be “classic” or “2026”"),
                       path, index + 1);
          return NULL;
        }
    }

#undef STRING_MEMBER

  member = json_object_get_member (object, "tokens");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("%s: account %u: “tokens” must be an array of strings"),
                       path, index + 1);
          return NULL;
        }

      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element)
              || json_node_get_value_type (element) != G_TYPE_STRING)
            {
              g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("%s: account %u: “tokens” must be an array of strings"),
                           path, index + 1);
              return NULL;
            }
          g_ptr_array_add (tokens, (gpointer) json_node_get_string (element));
        }
      g_ptr_array_add (tokens, NULL);
      cf_account_set_tokens (account, (const char * const *) tokens->pdata);
    }

  member = json_object_get_member (object, "enabled");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member)
          || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("%s: account %u: “enabled” must be true or false"), path, index + 1);
          return NULL;
        }
      cf_account_set_enabled (account, json_node_get_boolean (member));
    }
  else
    cf_account_set_enabled (account, TRUE);

  member = json_object_get_member (object, "max_in_flight");
  if (member != NULL)
    {
      gint64 value;

      if (!JSON_NODE_HOLDS_VALUE (member)
          || json_node_get_value_type (member) != G_TYPE_INT64
          || (value = json_node_get_int (member)) < 1 || value > 64)
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("%s: account %u: “max_in_flight” must be a number from 1 to 64"),
                       path, index + 1);
          return NULL;
        }
      cf_account_set_max_in_flight (account, (guint) value);
    }

  return g_steal_pointer (&account);
}

GPtrArray *
cf_cli_load_accounts_file (const char  *path,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  JsonNode *root;
  JsonNode *list;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("Cannot read the accounts file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  /* It holds tokens: a file others can read is a leak we refuse to take part in. */
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The accounts file %s can be read by others (mode %04o) and it holds "
                     "tokens. Make it private first: chmod 600 %s"),
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The accounts file %s is not valid JSON: %s"), path, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || (list = json_object_get_member (json_node_get_object (root), "accounts")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The accounts file %s must hold an object with an “accounts” array"),
                   path);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (list), i);
      CfAccount *account = account_from_json (node, path, i, error);

      if (account == NULL)
        return NULL;

      /* The journal names accounts by id: two with one id would share their takes. */
      for (guint j = 0; j < accounts->len; j++)
        {
          CfAccount *other = g_ptr_array_index (accounts, j);

          if (g_str_equal (cf_account_get_id (other), cf_account_get_id (account))
              || g_str_equal (cf_account_get_name (other), cf_account_get_name (account)))
            {
              g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("%s: accounts %u and %u have the same name or id"),
                           path, j + 1, i + 1);
              g_object_unref (account);
              return NULL;
            }
        }

      g_ptr_array_add (accounts, account);
    }

  return g_steal_pointer (&accounts);
}
