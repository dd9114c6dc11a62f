/* cf-cli.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account-store.h"
#include "cf-endpoints.h"

G_BEGIN_DECLS

/* The exit statuses promised in --help and the README; scripts depend on them. */
typedef enum
{
  CF_CLI_EXIT_OK = 0,           /* every take is done */
  CF_CLI_EXIT_FAILED = 1,       /* some scenes failed (listed with reasons) */
  CF_CLI_EXIT_BAD_INPUT = 2,    /* bad options, script, accounts file or run id */
  CF_CLI_EXIT_NO_ACCOUNT = 3,   /* no usable account */
  CF_CLI_EXIT_INTERRUPTED = 130 /* Ctrl+C: the journal is kept, resume later */
} CfCliExit;

/* Options that every command accepts, wherever they stand on the command line. */
typedef struct
{
  /* --secrets-file[=PATH] was given: secrets go to a file, never silently. */
  gboolean  use_secrets_file;
  char     *secrets_file;        /* NULL: $XDG_CONFIG_HOME/clipfleet/secrets.json */
} CfCliGlobal;

/* Adds --secrets-file[=PATH] to a command's options. */
void            cf_cli_add_global_options  (GOptionContext  *context,
                                            CfCliGlobal     *global);
/*
 * Parses a command's options; on error prints it with a hint and returns
 * FALSE (the caller exits with CF_CLI_EXIT_BAD_INPUT).
 */
gboolean        cf_cli_parse_options       (GOptionContext  *context,
                                            int             *argc,
                                            char          ***argv);
/* Prints "clipfleet-cli: MESSAGE" on stderr. */
void            cf_cli_printerr            (const char      *format,
                                            ...) G_GNUC_PRINTF (1, 2);

/* The account store over the keyring, or over the secrets file when asked for. */
CfAccountStore *cf_cli_open_account_store  (CfCliGlobal     *global,
                                            GError         **error);
/* Explains an error of the secret store, with the way out when no Secret Service runs. */
void            cf_cli_print_store_error   (const GError    *error);

/* --api-base URL, or the real Google services. */
CfEndpoints    *cf_cli_make_endpoints      (const char      *api_base,
                                            GError         **error);

/*
 * Reads an accounts file for headless use (see cf-cli-accounts-file.c).
 * Refused when group or world can read it: it holds tokens.
 * Returns a GPtrArray of CfAccount.
 */
GPtrArray      *cf_cli_load_accounts_file  (const char      *path,
                                            GError         **error);

int             cf_cli_accounts_main       (CfCliGlobal     *global,
                                            int              argc,
                                            char           **argv);
int             cf_cli_run_main            (CfCliGlobal     *global,
                                            int              argc,
                                            char           **argv);
int             cf_cli_resume_main         (CfCliGlobal     *global,
                                            int              argc,
                                            char           **argv);
int             cf_cli_runs_main           (CfCliGlobal     *global,
                                            int              argc,
                                            char           **argv);
int             cf_cli_demo_main           (CfCliGlobal     *global,
                                            int              argc,
                                            char           **argv);

G_END_DECLS
