/* test-cli-crash.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kills clipfleet-cli with SIGKILL in the middle of a run, resumes the run,
 * and proves from the simulator's statistics that every scene was charged
 * exactly once, and from the disk that every take is a whole MP4. The
 * simulator lives in this process, so its statistics survive the CLI.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-sim-server.h"

#define N_SCENES 10

/*
 * Enough room (3 accounts × 4) for every scene to be submitted at once, so
 * that the kill comes when no submit is on its way: a take whose submit was
 * cut off is UNCERTAIN by design and would rightly not be resumed.
 */
static const char sim_config[] =
  "{ \"seed\": 11, \"time_scale\": 0.05,"
  "  \"models\": [ { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20, \"render_seconds\": 60,"
  "                  \"render_spread\": 20, \"shape\": \"A\" } ],"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"Crash-A\", \"tokens\": [\"ya29.crash-a\"],"
  "      \"project_id\": \"aaaaaaaa-1111-4111-8111-111111111111\", \"credits\": 1000,"
  "      \"max_in_flight\": 4, \"max_rps\": 50 },"
  "    { \"kind\": \"labs\", \"name\": \"Crash-B\", \"tokens\": [\"ya29.crash-b\"],"
  "      \"project_id\": \"bbbbbbbb-2222-4222-8222-222222222222\", \"credits\": 1000,"
  "      \"max_in_flight\": 4, \"max_rps\": 50, \"render_factor\": 1.5 },"
  "    { \"kind\": \"labs\", \"name\": \"Crash-C\", \"tokens\": [\"ya29.crash-c\"],"
  "      \"project_id\": \"cccccccc-3333-4333-8333-333333333333\", \"credits\": 1000,"
  "      \"max_in_flight\": 4, \"max_rps\": 50 } ] }";

static const char accounts_json[] =
  "{ \"accounts\": ["
  "  { \"kind\": \"labs\", \"name\": \"Crash-A\", \"tokens\": [\"ya29.crash-a\"],"
  "    \"project_id\": \"aaaaaaaa-1111-4111-8111-111111111111\", \"max_in_flight\": 4 },"
  "  { \"kind\": \"labs\", \"name\": \"Crash-B\", \"tokens\": [\"ya29.crash-b\"],"
  "    \"project_id\": \"bbbbbbbb-2222-4222-8222-222222222222\", \"max_in_flight\": 4 },"
  "  { \"kind\": \"labs\", \"name\": \"Crash-C\", \"tokens\": [\"ya29.crash-c\"],"
  "    \"project_id\": \"cccccccc-3333-4333-8333-333333333333\", \"max_in_flight\": 4 } ] }";

typedef struct
{
  GMainLoop        *loop;
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  GHashTable       *submitted;   /* "scene/take" of takes that reached the service */
  GHashTable       *done;
  gboolean          killed;
  gboolean          exited;
} CrashWatch;

static char *
cli_path (void)
{
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");

  g_assert_nonnull (builddir);
  return g_build_filename (builddir, "src", "cli", "clipfleet-cli", NULL);
}

/*
 * G_TEST_OPTION_ISOLATE_DIRS moves this process's idea of HOME and the XDG
 * folders but not its environment: hand them to the child explicitly.
 */
static GSubprocessLauncher *
new_isolated_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  /* No keyring in reach: a test never touches the user's real secrets. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  return launcher;
}

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static gboolean
state_is (const char *state,
          const char *expected)
{
  return state != NULL && g_ascii_strcasecmp (state, expected) == 0;
}

static void read_next_line (CrashWatch *watch);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrashWatch *watch = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *event;
  const char *state;
  g_autofree char *key = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                    NULL, &error);
  if (line == NULL)
    {
      /* End of output: the CLI died (by our hand) or ended. */
      g_main_loop_quit (watch->loop);
      return;
    }

  if (!watch->killed && json_parser_load_from_data (parser, line, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      event = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (event, "type", ""),
                     "take") == 0)
        {
          state = json_object_get_string_member_with_default (event, "state", "");
          key = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                 json_object_get_int_member (event, "scene"),
                                 json_object_get_int_member (event, "take"));

          if (state_is (state, "pending") || state_is (state, "rendering")
              || state_is (state, "downloading") || state_is (state, "done"))
            g_hash_table_add (watch->submitted, g_strdup (key));
          if (state_is (state, "done"))
            g_hash_table_add (watch->done, g_strdup (key));

          /* Every scene paid for, some saved, some not: the worst time to die. */
          if (g_hash_table_size (watch->submitted) == N_SCENES
              && g_hash_table_size (watch->done) >= 1
              && g_hash_table_size (watch->done) < N_SCENES)
            {
              g_test_message ("SIGKILL with %u of %u takes saved",
                              g_hash_table_size (watch->done), N_SCENES);
              g_subprocess_force_exit (watch->process);
              watch->killed = TRUE;
            }
        }
    }

  read_next_line (watch);
}

static void
read_next_line (CrashWatch *watch)
{
  g_data_input_stream_read_line_async (watch->stdout_stream, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, watch);
}

static int
run_cli_sync (char       **out,
              const char  *first,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, cli_path ());
  g_ptr_array_add (args, g_strdup (first));
  va_start (ap, first);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = new_isolated_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                    | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                    | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "", NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_printerr ("--- stdout\n%s--- stderr\n%s---\n", stdout_text, stderr_text);
  g_assert_null (strstr (stdout_text, "ya29."));
  g_assert_null (strstr (stderr_text, "ya29."));

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/*
 * A whole MP4: "ftyp" first, a "moov", and top-level boxes whose sizes add
 * up to the file's length exactly (a cut-off download fails the last).
 */
static void
assert_valid_mp4 (const char *path)
{
  g_autofree char *data = NULL;
  gboolean saw_moov = FALSE;
  gboolean saw_mdat = FALSE;
  gsize length = 0;
  gsize offset = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 16);
  g_assert_cmpmem (data + 4, 4, "ftyp", 4);

  while (offset < length)
    {
      const guchar *box = (const guchar *) data + offset;
      guint64 size;

      g_assert_cmpuint (length - offset, >=, 8);
      size = ((guint64) box[0] << 24) | ((guint64) box[1] << 16) | ((guint64) box[2] << 8) | box[3];
      if (size == 1)
        {
          g_assert_cmpuint (length - offset, >=, 16);
          size = 0;
          for (guint i = 8; i < 16; i++)
            size = (size << 8) | box[i];
        }
      else if (size == 0)
        size = length - offset;

      g_assert_cmpuint (size, >=, 8);
      g_assert_cmpuint (size, <=, length - offset);
      if (memcmp (box + 4, "moov", 4) == 0)
        saw_moov = TRUE;
      if (memcmp (box + 4, "mdat", 4) == 0)
        saw_mdat = TRUE;
      offset += size;
    }

  g_assert_cmpuint (offset, ==, length);
  g_assert_true (saw_moov);
  g_assert_true (saw_mdat);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static JsonObject *
find_only_run (JsonParser *parser,
               const char *runs_json)
{
  g_autoptr(GError) error = NULL;
  JsonArray *runs;

  json_parser_load_from_data (parser, runs_json, -1, &error);
  g_assert_no_error (error);
  runs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);

  return json_array_get_object_element (runs, 0);
}

static void
test_crash_resume (void)
{
  g_autoptr(CfSimServer) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) script = g_string_new ("# Crash Course\n\n");
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GHashTable) submitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonParser) runs_parser = json_parser_new ();
  g_autoptr(JsonParser) final_parser = json_parser_new ();
  g_autoptr(JsonParser) stats_parser = json_parser_new ();
  g_autofree char *dir = NULL;
  g_autofree char *accounts_file = NULL;
  g_autofree char *script_file = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *runs_json = NULL;
  g_autofree char *final_json = NULL;
  g_autofree char *stats = NULL;
  g_autofree char *run_id = NULL;
  g_autoptr(GDir) out = NULL;
  CrashWatch watch = { 0 };
  JsonObject *run;
  JsonArray *accounts;
  JsonArray *takes;
  const char *name;
  gint64 charged = 0;
  guint n_mp4 = 0;

  sim = cf_sim_server_new_from_data (sim_config, -1, &error);
  g_assert_no_error (error);
  cf_sim_server_start (sim, 0, &error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("test-cli-crash-XXXXXX", &error);
  g_assert_no_error (error);
  accounts_file = g_build_filename (dir, "accounts.json", NULL);
  write_file (accounts_file, accounts_json, 0600);
  for (guint i = 1; i <= N_SCENES; i++)
    g_string_append_printf (script, "Scene %u: a paper crane unfolds itself on a windowsill, "
                            "morning light, variation %u\n\n", i, i * 7);
  script_file = g_build_filename (dir, "crash.txt", NULL);
  write_file (script_file, script->str, 0644);
  out_dir = g_build_filename (dir, "out", NULL);

  /* 1. Start the run and kill it hard once every take is paid for and some are saved. */
  g_ptr_array_add (args, cli_path ());
  g_ptr_array_add (args, g_strdup ("run"));
  g_ptr_array_add (args, g_strdup (script_file));
  g_ptr_array_add (args, g_strdup ("--json"));
  g_ptr_array_add (args, g_strdup ("--accounts"));
  g_ptr_array_add (args, g_strdup (accounts_file));
  g_ptr_array_add (args, g_strdup ("--api-base"));
  g_ptr_array_add (args, g_strdup (cf_sim_server_get_base_url (sim)));
  g_ptr_array_add (args, g_strdup ("--out"));
  g_ptr_array_add (args, g_strdup (out_dir));
  g_ptr_array_add (args, g_strdup ("--poll-interval"));
  g_ptr_array_add (args, g_strdup ("100"));
  g_ptr_array_add (args, NULL);

  launcher = new_isolated_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  watch.loop = loop;
  watch.process = process;
  watch.stdout_stream = stream;
  watch.submitted = submitted;
  watch.done = done;
  read_next_line (&watch);
  g_main_loop_run (loop);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (watch.killed);
  g_assert_true (g_subprocess_get_if_signaled (process));

  /* 2. The journal shows a run with paid takes still to collect. */
  g_assert_cmpint (run_cli_sync (&runs_json, "runs", "--json", NULL), ==, 0);
  run = find_only_run (runs_parser, runs_json);
  g_assert_true (json_object_get_boolean_member (run, "resumable"));
  g_assert_cmpint (json_object_get_int_member (run, "done"), <, N_SCENES);
  g_assert_cmpint (json_object_get_int_member (run, "uncertain"), ==, 0);
  run_id = g_strdup (json_object_get_string_member (run, "id"));

  /* 3. Resume: every take ends saved. */
  g_assert_cmpint (run_cli_sync (NULL, "resume", run_id, "--json",
                                 "--accounts", accounts_file,
                                 "--api-base", cf_sim_server_get_base_url (sim),
                                 "--poll-interval", "100", NULL), ==, 0);

  g_assert_cmpint (run_cli_sync (&final_json, "runs", "--json", NULL), ==, 0);
  run = find_only_run (final_parser, final_json);
  g_assert_cmpstr (json_object_get_string_member (run, "id"), ==, run_id);
  g_assert_cmpint (json_object_get_int_member (run, "done"), ==, N_SCENES);
  g_assert_false (json_object_get_boolean_member (run, "resumable"));

  /* 4. The simulator charged each scene exactly once: N takes, each finished and fetched. */
  stats = cf_sim_server_dup_stats_json (sim);
  json_parser_load_from_data (stats_parser, stats, -1, &error);
  g_assert_no_error (error);
  accounts = json_object_get_array_member (json_node_get_object (
                                             json_parser_get_root (stats_parser)), "accounts");
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    charged += json_object_get_int_member (json_array_get_object_element (accounts, i),
                                           "takes_charged");
  g_assert_cmpint (charged, ==, N_SCENES);

  takes = json_object_get_array_member (json_node_get_object (
                                          json_parser_get_root (stats_parser)), "takes");
  g_assert_cmpuint (json_array_get_length (takes), ==, N_SCENES);
  for (guint i = 0; i < json_array_get_length (takes); i++)
    {
      JsonObject *take = json_array_get_object_element (takes, i);

      g_assert_cmpstr (json_object_get_string_member (take, "status"), ==, "SUCCESSFUL");
      g_assert_cmpint (json_object_get_int_member (take, "downloads"), >=, 1);
    }

  /* 5. Every take's file exists and is a whole MP4; nothing half-written is left. */
  out = g_dir_open (out_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (out)) != NULL)
    {
      g_autofree char *path = g_build_filename (out_dir, name, NULL);

      g_assert_false (g_str_has_suffix (name, ".part"));
      if (g_str_has_suffix (name, ".mp4"))
        {
          assert_valid_mp4 (path);
          n_mp4++;
        }
    }
  g_assert_cmpuint (n_mp4, ==, N_SCENES);

  cf_sim_server_stop (sim);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli-crash/kill-and-resume", test_crash_resume);

  return g_test_run ();
}
