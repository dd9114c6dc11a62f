/* cf-cli-main.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "cf-cli.h"
#include "cf-error.h"
#include "cf-file-secret-store.h"
#include "cf-keyring-secret-store.h"

typedef struct
{
  const char *name;
  const char *summary;
  int       (*main_func) (CfCliGlobal *global, int argc, char **argv);
} CfCliCommand;

static const CfCliCommand commands[] = {
  { "run", N_("Render a script, spreading its scenes over the accounts"), cf_cli_run_main },
  { "resume", N_("Continue an interrupted run from its journal"), cf_cli_resume_main },
  { "runs", N_("List the runs and their state"), cf_cli_runs_main },
  { "accounts", N_("List, add, remove, enable, disable, test or import accounts"),
    cf_cli_accounts_main },
  { "demo", N_("Render a sample script on the built-in simulator (no Google account)"),
    cf_cli_demo_main },
};

void
cf_cli_printerr (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("clipfleet-cli: %s\n", message);
}

/* The command being parsed; GOptionContext gives main-group callbacks no user data. */
static CfCliGlobal *parsing_global;

static gboolean
secrets_file_cb (const char  *option_name,
                 const char  *value,
                 gpointer     user_data,
                 GError     **error)
{
  CfCliGlobal *global = parsing_global;

  g_assert (global != NULL);

  global->use_secrets_file = TRUE;
  g_clear_pointer (&global->secrets_file, g_free);
  if (value != NULL && *value != '\0')
    global->secrets_file = g_strdup (value);

  return TRUE;
}

void
cf_cli_add_global_options (GOptionContext *context,
                           CfCliGlobal    *global)
{
  /* Listed with the command's own options, so that every --help shows it. */
  const GOptionEntry entries[] = {
    { "secrets-file", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, secrets_file_cb,
      N_("Keep tokens in a 0600 file instead of the keyring (default "
         "$XDG_CONFIG_HOME/clipfleet/secrets.json)"), N_("PATH") },
    { NULL }
  };

  parsing_global = global;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
cf_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cf_cli_printerr ("%s", error->message);
      g_printerr (_("Try “%s --help”.\n"), (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

CfAccountStore *
cf_cli_open_account_store (CfCliGlobal  *global,
                           GError      **error)
{
  g_autoptr(CfSecretStore) secrets = NULL;
  g_autoptr(CfAccountStore) store = NULL;

  if (global->use_secrets_file)
    secrets = CF_SECRET_STORE (cf_file_secret_store_new (global->secrets_file));
  else
    secrets = CF_SECRET_STORE (cf_keyring_secret_store_new ());

  store = cf_account_store_new (NULL, secrets);
  if (!cf_account_store_load (store, NULL, error))
    return NULL;

  return g_steal_pointer (&store);
}

void
cf_cli_print_store_error (const GError *error)
{
  cf_cli_printerr ("%s", error->message);

  if (g_error_matches (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE))
    g_printerr (_("Where no keyring runs (a server, CI), --secrets-file[=PATH] keeps the tokens "
                  "in a file\nonly you can read (default $XDG_CONFIG_HOME/clipfleet/secrets.json); "
                  "--accounts FILE gives\none run its accounts.\n"));
}

CfEndpoints *
cf_cli_make_endpoints (const char  *api_base,
                       GError     **error)
{
  if (api_base == NULL)
    return cf_endpoints_new_google ();

  return cf_endpoints_new_for_origin (api_base, error);
}

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append (text, _("Usage:\n  clipfleet-cli [--secrets-file[=PATH]] COMMAND [OPTION…]\n\n"));
  g_string_append (text, _("Render the scenes of a video script with Veo, spread over all of "
                           "your Google accounts.\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (text, _("\nGlobal options:\n"
                           "  --secrets-file[=PATH]  Keep tokens in a 0600 file instead of the "
                           "keyring\n"
                           "  -h, --help             Show this help\n"
                           "  --version              Show the version\n\n"
                           "Run “clipfleet-cli COMMAND --help” for the options of a command.\n\n"
                           "Exit status: 0 all takes done, 1 some scenes failed, 2 bad input,\n"
                           "3 no usable account, 130 interrupted (resume with "
                           "“clipfleet-cli resume RUN”).\n"));
  fputs (text->str, stream);
}

int
main (int   argc,
      char *argv[])
{
  CfCliGlobal global = { 0 };
  int status;
  int i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CLIPFLEET_LOCALEDIR") != NULL
                                   ? g_getenv ("CLIPFLEET_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The global options before the command word; a command parses its own. */
  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--secrets-file"))
        {
          global.use_secrets_file = TRUE;
        }
      else if (g_str_has_prefix (arg, "--secrets-file="))
        {
          global.use_secrets_file = TRUE;
          g_free (global.secrets_file);
          global.secrets_file = arg[15] != '\0' ? g_strdup (arg + 15) : NULL;
        }
      else if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_usage (stdout);
          return CF_CLI_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("clipfleet-cli %s\n", PACKAGE_VERSION);
          return CF_CLI_EXIT_OK;
        }
      else if (arg[0] == '-')
        {
          cf_cli_printerr (_("Unknown option %s"), arg);
          print_usage (stderr);
          return CF_CLI_EXIT_BAD_INPUT;
        }
      else
        break;
    }

  if (i >= argc)
    {
      print_usage (stderr);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      if (g_str_equal (argv[i], commands[c].name))
        {
          /* "clipfleet-cli COMMAND", so that the command's --help reads well. */
          g_autofree char *prgname = g_strdup_printf ("clipfleet-cli %s", commands[c].name);
          g_autofree char **sub_argv = g_new0 (char *, argc - i + 1);

          g_set_prgname (prgname);
          sub_argv[0] = prgname;
          for (int j = i + 1; j < argc; j++)
            sub_argv[j - i] = argv[j];

          status = commands[c].main_func (&global, argc - i, sub_argv);
          g_free (global.secrets_file);
          return status;
        }
    }

  cf_cli_printerr (_("Unknown command “%s”"), argv[i]);
  print_usage (stderr);
  return CF_CLI_EXIT_BAD_INPUT;
}
