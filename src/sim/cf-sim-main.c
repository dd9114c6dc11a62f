/* cf-sim-main.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "cf-sim-server.h"

/*
 * clipfleet-sim: serves the simulator until SIGINT or SIGTERM. The first
 * line on stdout is the base URL, so that a script can read it and go.
 */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  /* Both handlers are removed after the loop, whichever signal came. */
  return G_SOURCE_CONTINUE;
}

static void
print_summary (CfSimServer *server)
{
  g_autofree char *stats = cf_sim_server_dup_stats_json (server);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *accounts;

  if (!json_parser_load_from_data (parser, stats, -1, NULL))
    return;
  accounts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "accounts");
  g_printerr ("clipfleet-sim: serving the Labs API at /v1, the Flow web routes at /fx, the "
              "Gemini API at /v1beta and statistics at /__sim/stats; time scale %g, %u "
              "account(s):\n",
              cf_sim_server_get_time_scale (server), json_array_get_length (accounts));
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      g_printerr ("  %s (%s), %" G_GINT64_FORMAT " credits\n",
                  json_object_get_string_member (account, "name"),
                  json_object_get_string_member (account, "kind"),
                  json_object_get_int_member (account, "credits_left"));
    }
  g_printerr ("Stop with Ctrl+C.\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_path = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CfSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  double time_scale = 0;
  int port = 0;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "The simulator's configuration (JSON)", "FILE" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: any free one)",
      "N" },
    { "time-scale", 't', 0, G_OPTION_ARG_DOUBLE, &time_scale,
      "Real seconds per simulated second (overrides the configuration)", "X" },
    { NULL }
  };
  guint sigint;
  guint sigterm;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- simulate the Labs Flow and Gemini Veo services");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("clipfleet-sim: %s\n", error->message);
      return 2;
    }
  if (config_path == NULL)
    {
      g_printerr ("clipfleet-sim: --config FILE is required\n");
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("clipfleet-sim: --port must be between 0 and 65535\n");
      return 2;
    }
  if (time_scale < 0)
    {
      g_printerr ("clipfleet-sim: --time-scale must be positive\n");
      return 2;
    }

  server = cf_sim_server_new_from_file (config_path, &error);
  if (server == NULL)
    {
      g_printerr ("clipfleet-sim: %s\n", error->message);
      return 1;
    }
  if (time_scale > 0)
    cf_sim_server_set_time_scale (server, time_scale);
  if (!cf_sim_server_start (server, (guint16) port, &error))
    {
      g_printerr ("clipfleet-sim: cannot listen: %s\n", error->message);
      return 1;
    }

  printf ("%s\n", cf_sim_server_get_base_url (server));
  fflush (stdout);
  print_summary (server);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  cf_sim_server_stop (server);
  g_printerr ("clipfleet-sim: stopped\n");
  return EXIT_SUCCESS;
}
