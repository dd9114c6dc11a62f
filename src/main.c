/* main.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cf-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CfApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* build-aux/dev points this at the build tree, so that an uninstalled app is translated too. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CLIPFLEET_LOCALEDIR") != NULL
                                   ? g_getenv ("CLIPFLEET_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cf_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
