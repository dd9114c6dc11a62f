/* cf-cli-accounts.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `clipfleet-cli accounts list|add|remove|enable|disable|test|import`.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-cli.h"
#include "cf-account-store.h"
#include "cf-error.h"
#include "cf-provider.h"

static const char accounts_summary[] =
  N_("Commands:\n"
     "  list                 List the accounts (--json for JSON)\n"
     "  add NAME             Add an account; its tokens (or API key) are read from\n"
     "                       standard input, one per line, never from the command line\n"
     "  remove NAME|ID       Remove an account and its secrets\n"
     "  enable NAME|ID       Use the account in runs\n"
     "  disable NAME|ID      Keep the account but leave it out of runs\n"
     "  test [NAME|ID…]      Check that accounts can generate (spends no credits)\n"
     "  import FILE          Import the accounts of the old app's config.json\n"
     "\n"
     "Tokens live in the desktop keyring; where none runs, add --secrets-file to keep\n"
     "them in $XDG_CONFIG_HOME/clipfleet/secrets.json (mode 0600) instead.");

static int
open_store_or_exit (CfCliGlobal     *global,
                    CfAccountStore **store)
{
  g_autoptr(GError) error = NULL;

  *store = cf_cli_open_account_store (global, &error);
  if (*store == NULL)
    {
      cf_cli_print_store_error (error);
      return g_error_matches (error, CF_ERROR, CF_ERROR_BAD_INPUT)
             ? CF_CLI_EXIT_BAD_INPUT : CF_CLI_EXIT_NO_ACCOUNT;
    }

  return CF_CLI_EXIT_OK;
}

static int
save_store (CfAccountStore *store)
{
  g_autoptr(GError) error = NULL;

  if (!cf_account_store_save (store, NULL, &error))
    {
      cf_cli_print_store_error (error);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  return CF_CLI_EXIT_OK;
}

static CfAccount *
find_or_complain (CfAccountStore *store,
                  const char     *id_or_name)
{
  CfAccount *account = cf_account_store_find (store, id_or_name);

  if (account == NULL)
    cf_cli_printerr (_("No account named “%s” (see “clipfleet-cli accounts list”)"),
                     id_or_name);

  return account;
}

static int
accounts_list (CfAccountStore *store,
               gboolean        json)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "accounts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CfAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);

          /* Never the tokens or the key: only how many there are. */
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, cf_account_get_id (account));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, cf_account_get_name (account));
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder,
                                         cf_account_kind_to_string (cf_account_get_kind (account)));
          json_builder_set_member_name (builder, "project_id");
          json_builder_add_string_value (builder, cf_account_get_project_id (account));
          json_builder_set_member_name (builder, "enabled");
          json_builder_add_boolean_value (builder, cf_account_get_enabled (account));
          json_builder_set_member_name (builder, "n_tokens");
          json_builder_add_int_value (builder, cf_account_get_n_tokens (account));
          json_builder_set_member_name (builder, "has_api_key");
          json_builder_add_boolean_value (builder, cf_account_get_api_key (account) != NULL);
          json_builder_set_member_name (builder, "max_in_flight");
          json_builder_add_int_value (builder, cf_account_get_max_in_flight (account));
          json_builder_set_member_name (builder, "usable");
          json_builder_add_boolean_value (builder, cf_account_is_usable (account));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return CF_CLI_EXIT_OK;
    }

  if (n == 0)
    {
      g_print (_("No accounts. Add one with “clipfleet-cli accounts add NAME”.\n"));
      return CF_CLI_EXIT_OK;
    }

  g_print ("%-20s %-7s %-9s %-8s %-8s %-9s %s\n",
           _("NAME"), _("KIND"), _("PROJECT"), _("ENABLED"), _("SECRETS"), _("IN FLIGHT"),
           _("ID"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *project = cf_account_dup_short_project_id (account);
      g_autofree char *secrets = NULL;

      if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI)
        secrets = g_strdup (cf_account_get_api_key (account) != NULL ? _("key") : _("none"));
      else
        secrets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u token", "%u tokens",
                                                cf_account_get_n_tokens (account)),
                                   cf_account_get_n_tokens (account));

      g_print ("%-20s %-7s %-9s %-8s %-8s %-9u %s\n",
               cf_account_get_name (account),
               cf_account_kind_to_string (cf_account_get_kind (account)),
               project != NULL && *project != '\0' ? project : "-",
               cf_account_get_enabled (account) ? _("yes") : _("no"),
               secrets,
               cf_account_get_max_in_flight (account),
               cf_account_get_id (account));
    }

  return CF_CLI_EXIT_OK;
}

/* Reads secrets from standard input, one per line; blank lines and surrounding spaces dropped. */
static GStrv
read_secrets_from_stdin (gboolean prompt_for_key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char line[8192];

  if (isatty (STDIN_FILENO))
    g_printerr (prompt_for_key
                ? _("Paste the API key, then press Enter and Ctrl+D:\n")
                : _("Paste the access tokens, one per line, then press Ctrl+D:\n"));

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_strstrip (line);
      if (*line != '\0')
        g_strv_builder_add (builder, line);
    }

  /* Overwrite the copy on the stack: secrets should not linger. */
  memset (line, 0, sizeof line);

  return g_strv_builder_end (builder);
}

static int
accounts_add (CfAccountStore *store,
              const char     *name,
              const char     *kind_text,
              const char     *project_id,
              const char     *tier,
              const char     *model_key,
              int             max_in_flight,
              gboolean        disabled)
{
  g_autoptr(CfAccount) account = NULL;
  g_auto(GStrv) secrets = NULL;
  CfAccountKind kind = CF_ACCOUNT_KIND_LABS;

  if (kind_text != NULL && !cf_account_kind_from_string (kind_text, &kind))
    {
      cf_cli_printerr (_("Unknown kind “%s” (expected labs or gemini)"), kind_text);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if (cf_account_store_find (store, name) != NULL)
    {
      cf_cli_printerr (_("There is already an account named “%s”"), name);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if (kind == CF_ACCOUNT_KIND_LABS && (project_id == NULL || *project_id == '\0'))
    {
      cf_cli_printerr (_("A labs account needs --project-id (from the Flow project URL "
                         "https://labs.google/fx/tools/flow/project/<project-id>)"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if (max_in_flight < 0 || max_in_flight > 64)
    {
      cf_cli_printerr (_("--max-in-flight must be from 1 to 64"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  secrets = read_secrets_from_stdin (kind == CF_ACCOUNT_KIND_GEMINI);
  if (secrets[0] == NULL)
    {
      cf_cli_printerr (kind == CF_ACCOUNT_KIND_GEMINI
                       ? _("No API key was given on standard input")
                       : _("No access token was given on standard input"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  account = cf_account_new (kind, name);
  cf_account_set_project_id (account, project_id);
  cf_account_set_tier (account, tier);
  cf_account_set_model_key (account, model_key);
  if (max_in_flight > 0)
    cf_account_set_max_in_flight (account, max_in_flight);
  cf_account_set_enabled (account, !disabled);
  if (kind == CF_ACCOUNT_KIND_GEMINI)
    cf_account_set_api_key (account, secrets[0]);
  else
    cf_account_set_tokens (account, (const char * const *) secrets);

  cf_account_store_add (store, account);
  if (save_store (store) != CF_CLI_EXIT_OK)
    return CF_CLI_EXIT_BAD_INPUT;

  g_print (_("Added account “%s” (%s).\n"), name, cf_account_get_id (account));
  return CF_CLI_EXIT_OK;
}

static int
accounts_remove (CfAccountStore *store,
                 const char     *id_or_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  CfAccount *account;

  if ((account = find_or_complain (store, id_or_name)) == NULL)
    return CF_CLI_EXIT_BAD_INPUT;

  name = g_strdup (cf_account_get_name (account));
  if (!cf_account_store_remove (store, account, NULL, &error))
    {
      cf_cli_print_store_error (error);
      return CF_CLI_EXIT_BAD_INPUT;
    }
  if (save_store (store) != CF_CLI_EXIT_OK)
    return CF_CLI_EXIT_BAD_INPUT;

  g_print (_("Removed account “%s” and its secrets.\n"), name);
  return CF_CLI_EXIT_OK;
}

static int
accounts_set_enabled (CfAccountStore *store,
                      const char     *id_or_name,
                      gboolean        enabled)
{
  CfAccount *account;

  if ((account = find_or_complain (store, id_or_name)) == NULL)
    return CF_CLI_EXIT_BAD_INPUT;

  cf_account_set_enabled (account, enabled);
  if (save_store (store) != CF_CLI_EXIT_OK)
    return CF_CLI_EXIT_BAD_INPUT;

  g_print (enabled ? _("Account “%s” is enabled.\n") : _("Account “%s” is disabled.\n"),
           cf_account_get_name (account));
  return CF_CLI_EXIT_OK;
}

static gboolean
test_one (CfAccount   *account,
          CfEndpoints *endpoints)
{
  g_autoptr(CfProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  if (!cf_account_is_usable (account))
    {
      g_print (_("%-20s missing        it lacks a project id, tokens or an API key\n"),
               cf_account_get_name (account));
      return FALSE;
    }

  provider = cf_provider_new_for_account (account, endpoints);
  if (!cf_provider_check_account (provider, NULL, &error))
    {
      const char *reason = cf_error_get_reason (error);

      if (reason != NULL && strstr (error->message, reason) == NULL)
        g_print ("%-20s %-14s %s (%s)\n", cf_account_get_name (account),
                 error->domain == CF_ERROR ? cf_error_code_to_string (error->code) : "failed",
                 error->message, reason);
      else
        g_print ("%-20s %-14s %s\n", cf_account_get_name (account),
                 error->domain == CF_ERROR ? cf_error_code_to_string (error->code) : "failed",
                 error->message);
      return FALSE;
    }

  g_print (_("%-20s OK             ready to generate\n"), cf_account_get_name (account));
  return TRUE;
}

static int
accounts_test (GPtrArray   *accounts,
               char       **names,
               CfEndpoints *endpoints)
{
  guint n_failed = 0;
  guint n_tested = 0;

  for (guint i = 0; i < accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (accounts, i);
      gboolean wanted = names == NULL || names[0] == NULL;

      for (guint j = 0; !wanted && names[j] != NULL; j++)
        wanted = g_str_equal (names[j], cf_account_get_name (account))
                 || g_str_equal (names[j], cf_account_get_id (account));
      if (!wanted)
        continue;

      n_tested++;
      if (!test_one (account, endpoints))
        n_failed++;
    }

  if (names != NULL && names[0] != NULL && n_tested < g_strv_length (names))
    {
      cf_cli_printerr (_("Some of the named accounts do not exist"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if (n_tested == 0)
    {
      cf_cli_printerr (_("No account to test"));
      return CF_CLI_EXIT_NO_ACCOUNT;
    }

  return n_failed == 0 ? CF_CLI_EXIT_OK
         : n_failed == n_tested ? CF_CLI_EXIT_NO_ACCOUNT : CF_CLI_EXIT_FAILED;
}

static int
accounts_import (CfAccountStore *store,
                 const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  int added;

  added = cf_account_store_import_legacy (store, file, &error);
  if (added < 0)
    {
      cf_cli_printerr ("%s", error->message);
      return CF_CLI_EXIT_BAD_INPUT;
    }
  if (save_store (store) != CF_CLI_EXIT_OK)
    return CF_CLI_EXIT_BAD_INPUT;

  g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %d account.\n", "Imported %d accounts.\n",
                        added), added);
  return CF_CLI_EXIT_OK;
}

int
cf_cli_accounts_main (CfCliGlobal  *global,
                      int           argc,
                      char        **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CfAccountStore) store = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *tier = NULL;
  g_autofree char *model_key = NULL;
  g_autofree char *api_base = NULL;
  g_autofree char *accounts_file = NULL;
  gboolean json = FALSE;
  gboolean disabled = FALSE;
  int max_in_flight = 0;
  const char *command;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("list: print JSON"), NULL },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("add: labs (default) or gemini"),
      N_("KIND") },
    { "project-id", 0, 0, G_OPTION_ARG_STRING, &project_id,
      N_("add: the Flow project id of a labs account"), N_("ID") },
    { "tier", 0, 0, G_OPTION_ARG_STRING, &tier,
      N_("add: PAYGATE_TIER_NOT_PAID, PAYGATE_TIER_ONE or PAYGATE_TIER_TWO"), N_("TIER") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_key,
      N_("add: a model key for this account only"), N_("KEY") },
    { "max-in-flight", 0, 0, G_OPTION_ARG_INT, &max_in_flight,
      N_("add: takes in flight at once (default 4)"), N_("N") },
    { "disabled", 0, 0, G_OPTION_ARG_NONE, &disabled, N_("add: add it disabled"), NULL },
    { "api-base", 0, 0, G_OPTION_ARG_STRING, &api_base,
      N_("test: talk to this origin instead of Google (the simulator)"), N_("URL") },
    { "accounts", 0, 0, G_OPTION_ARG_FILENAME, &accounts_file,
      N_("test: test the accounts of this file instead of the store"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("list|add|remove|enable|disable|test|import [ARG…]"));
  g_option_context_set_summary (context, _("Manage the Google accounts runs use."));
  g_option_context_set_description (context, _(accounts_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cf_cli_add_global_options (context, global);
  if (!cf_cli_parse_options (context, &argc, &argv))
    return CF_CLI_EXIT_BAD_INPUT;

  if (argc < 2)
    {
      cf_cli_printerr (_("Which accounts command? (list, add, remove, enable, disable, test, "
                         "import)"));
      return CF_CLI_EXIT_BAD_INPUT;
    }
  command = argv[1];

#define WANT_ARGS(min, max, what) \
  G_STMT_START { \
    if (argc - 2 < (min) || argc - 2 > (max)) \
      { \
        cf_cli_printerr (_("Usage: clipfleet-cli accounts %s %s"), command, what); \
        return CF_CLI_EXIT_BAD_INPUT; \
      } \
  } G_STMT_END

  if (g_str_equal (command, "test"))
    {
      g_autoptr(GPtrArray) accounts = NULL;
      g_autoptr(CfEndpoints) endpoints = NULL;
      g_autoptr(GError) error = NULL;

      if ((endpoints = cf_cli_make_endpoints (api_base, &error)) == NULL)
        {
          cf_cli_printerr ("%s", error->message);
          return CF_CLI_EXIT_BAD_INPUT;
        }

      if (accounts_file != NULL)
        {
          if ((accounts = cf_cli_load_accounts_file (accounts_file, &error)) == NULL)
            {
              cf_cli_printerr ("%s", error->message);
              return CF_CLI_EXIT_BAD_INPUT;
            }
        }
      else
        {
          if ((status = open_store_or_exit (global, &store)) != CF_CLI_EXIT_OK)
            return status;
          accounts = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
            g_ptr_array_add (accounts, g_list_model_get_item (G_LIST_MODEL (store), i));
        }

      return accounts_test (accounts, argv + 2, endpoints);
    }

  if (!g_str_equal (command, "list") && !g_str_equal (command, "add")
      && !g_str_equal (command, "remove") && !g_str_equal (command, "enable")
      && !g_str_equal (command, "disable") && !g_str_equal (command, "import"))
    {
      cf_cli_printerr (_("Unknown accounts command “%s”"), command);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if (g_str_equal (command, "list"))
    WANT_ARGS (0, 0, "");
  else if (g_str_equal (command, "add"))
    WANT_ARGS (1, 1, _("NAME [--kind labs|gemini] [--project-id ID] < tokens"));
  else if (g_str_equal (command, "import"))
    WANT_ARGS (1, 1, _("FILE"));
  else
    WANT_ARGS (1, 1, _("NAME|ID"));

#undef WANT_ARGS

  if ((status = open_store_or_exit (global, &store)) != CF_CLI_EXIT_OK)
    return status;

  if (g_str_equal (command, "list"))
    return accounts_list (store, json);
  if (g_str_equal (command, "add"))
    return accounts_add (store, argv[2], kind, project_id, tier, model_key, max_in_flight,
                         disabled);
  if (g_str_equal (command, "remove"))
    return accounts_remove (store, argv[2]);
  if (g_str_equal (command, "enable"))
    return accounts_set_enabled (store, argv[2], TRUE);
  if (g_str_equal (command, "disable"))
    return accounts_set_enabled (store, argv[2], FALSE);

  return accounts_import (store, argv[2]);
}
