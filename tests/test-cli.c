/* test-cli.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the built clipfleet-cli as a user would, against the simulator in
 * this process (it serves from its own thread, so the child can reach it
 * while we wait for the child).
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-sim-server.h"

static const char sim_config[] =
  "{ \"seed\": 7, \"time_scale\": 0.01,"
  "  \"models\": [ { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20, \"render_seconds\": 60,"
  "                  \"render_spread\": 10, \"shape\": \"A\" } ],"
  "  \"policy\": { \"reject_words\": [\"gore\"], \"fail_words\": [\"celebrity\"] },"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"Account-A\", \"tokens\": [\"ya29.test-a\"],"
  "      \"project_id\": \"11111111-1111-4111-8111-111111111111\", \"credits\": 1000,"
  "      \"max_in_flight\": 2, \"max_rps\": 50 },"
  "    { \"kind\": \"labs\", \"name\": \"Account-B\", \"tokens\": [\"ya29.test-b\"],"
  "      \"project_id\": \"22222222-2222-4222-8222-222222222222\", \"credits\": 1000,"
  "      \"max_in_flight\": 2, \"max_rps\": 50 },"
  "    { \"kind\": \"labs\", \"name\": \"Account-C\", \"tokens\": [\"ya29.test-c\"],"
  "      \"project_id\": \"33333333-3333-4333-8333-333333333333\", \"credits\": 1000,"
  "      \"max_in_flight\": 2, \"max_rps\": 50 } ] }";

static const char accounts_json[] =
  "{ \"accounts\": ["
  "  { \"kind\": \"labs\", \"name\": \"Account-A\", \"tokens\": [\"ya29.test-a\"],"
  "    \"project_id\": \"11111111-1111-4111-8111-111111111111\", \"max_in_flight\": 2 },"
  "  { \"kind\": \"labs\", \"name\": \"Account-B\", \"tokens\": [\"ya29.test-b\"],"
  "    \"project_id\": \"22222222-2222-4222-8222-222222222222\", \"max_in_flight\": 2 },"
  "  { \"kind\": \"labs\", \"name\": \"Account-C\", \"tokens\": [\"ya29.test-c\"],"
  "    \"project_id\": \"33333333-3333-4333-8333-333333333333\", \"max_in_flight\": 2 } ] }";

static const char script_text[] =
  "# Paper Boats\n\n"
  "A paper boat drifts down a rainy street, close-up\n\n"
  "A child in a yellow raincoat chases the boat along the gutter\n\n"
  "The boat spins in a whirlpool above a storm drain\n\n"
  "The boat sails out into a sunlit pond, ducks watching\n\n"
  "The child kneels by the pond and folds a second boat\n\n"
  "Two paper boats drift side by side at sunset, wide shot\n";

typedef struct
{
  CfSimServer *sim;
  char        *dir;
  char        *accounts_file;
  char        *script_file;
  char        *out_dir;
} Fixture;

static char *
cli_path (void)
{
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");

  if (builddir == NULL)
    return NULL;

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

/*
 * Runs clipfleet-cli with the NULL-terminated arguments, feeding input (may
 * be NULL) on its standard input; returns its exit status.
 */
static int
run_cli (const char  *input,
         char       **out,
         char       **err,
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
  g_assert_nonnull (args->pdata[0]);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /*
   * Standard input is a file holding the input (or /dev/null), never a pipe:
   * a command that exits before reading it (a refusal, a usage error) would
   * make the write fail with a broken pipe, at random.
   */
  launcher = new_isolated_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (input != NULL)
    {
      g_autofree char *input_path = g_build_filename (g_get_user_runtime_dir (), "cli-stdin", NULL);

      write_file (input_path, input, 0600);
      g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  if (g_test_verbose ())
    g_printerr ("--- stdout\n%s--- stderr\n%s---\n", stdout_text, stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = cf_sim_server_new_from_data (sim_config, -1, &error);
  g_assert_no_error (error);
  cf_sim_server_start (fixture->sim, 0, &error);
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->accounts_file = g_build_filename (fixture->dir, "accounts.json", NULL);
  write_file (fixture->accounts_file, accounts_json, 0600);
  fixture->script_file = g_build_filename (fixture->dir, "paper-boats.txt", NULL);
  write_file (fixture->script_file, script_text, 0644);
  fixture->out_dir = g_build_filename (fixture->dir, "out", NULL);
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

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  cf_sim_server_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->accounts_file);
  g_free (fixture->script_file);
  g_free (fixture->out_dir);
}

static guint
count_files_with_suffix (const char *dir_path,
                         const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix))
      n++;

  return n;
}

static void
test_help (void)
{
  const char *commands[] = { "run", "resume", "runs", "accounts", "demo" };
  g_autofree char *path = cli_path ();
  g_autofree char *out = NULL;

  if (path == NULL)
    {
      g_test_skip ("CLIPFLEET_BUILDDIR is not set");
      return;
    }

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (out, commands[i]));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *text = NULL;

      g_assert_cmpint (run_cli (NULL, &text, NULL, commands[i], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (text, "Usage"));
      g_assert_nonnull (strstr (text, commands[i]));
      g_assert_nonnull (strstr (text, "--secrets-file"));
    }

  /* No command, an unknown command, an unknown option: bad input. */
  g_assert_cmpint (run_cli (NULL, NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "frobnicate", NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "run", "--no-such-option", "x", NULL), ==, 2);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *broken = g_build_filename (fixture->dir, "broken.json", NULL);
  g_autofree char *open_file = g_build_filename (fixture->dir, "open-accounts.json", NULL);
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;
  g_autofree char *err4 = NULL;

  write_file (broken, "{\n  \"version\": 1,\n  \"scenes\": [ { \"prompt\": \"a\" },, ]\n}\n",
              0644);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "run", broken,
                            "--accounts", fixture->accounts_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim), NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "broken.json"));
  g_assert_nonnull (strstr (err, "line 3"));

  /* An accounts file that others can read holds tokens in the open: refused. */
  write_file (open_file, accounts_json, 0644);
  g_assert_cmpint (run_cli (NULL, NULL, &err2, "run", fixture->script_file,
                            "--accounts", open_file, NULL), ==, 2);
  g_assert_nonnull (strstr (err2, "chmod 600"));
  g_assert_null (strstr (err2, "ya29."));

  /* Two accounts of one name would mix up their takes in the journal. */
  write_file (open_file,
              "{ \"accounts\": [ { \"name\": \"Twin\", \"project_id\": \"p\", "
              "\"tokens\": [\"ya29.1\"] }, { \"name\": \"Twin\", \"project_id\": \"q\", "
              "\"tokens\": [\"ya29.2\"] } ] }", 0600);
  g_assert_cmpint (run_cli (NULL, NULL, &err4, "run", fixture->script_file,
                            "--accounts", open_file, NULL), ==, 2);
  g_assert_nonnull (strstr (err4, "same name"));

  g_assert_cmpint (run_cli (NULL, NULL, &err3, "run", fixture->script_file, "--takes", "9",
                            "--accounts", fixture->accounts_file, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "run", fixture->script_file,
                            "--strategy", "sideways",
                            "--accounts", fixture->accounts_file, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "resume", "no-such-run",
                            "--accounts", fixture->accounts_file, NULL), ==, 2);
}

static void
test_no_account (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *disabled = g_build_filename (fixture->dir, "disabled.json", NULL);
  g_autofree char *err = NULL;

  write_file (disabled,
              "{ \"accounts\": [ { \"kind\": \"labs\", \"name\": \"Off\", \"enabled\": false,"
              "  \"tokens\": [\"ya29.off\"], \"project_id\": \"p\" },"
              "  { \"kind\": \"labs\", \"name\": \"NoToken\", \"project_id\": \"p\" } ] }",
              0600);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "run", fixture->script_file,
                            "--accounts", disabled,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim), NULL),
                   ==, 3);
  g_assert_nonnull (strstr (err, "No usable account"));

  /* An empty store (this test's own HOME) has no usable account either. */
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "run", fixture->script_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim), NULL),
                   ==, 3);
}

static void
test_run_plain (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *runs = NULL;

  g_assert_cmpint (run_cli (NULL, &out, &err, "run", fixture->script_file,
                            "--accounts", fixture->accounts_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim),
                            "--out", fixture->out_dir, "--poll-interval", "50", NULL), ==, 0);

  /* Not a terminal: plain lines, no escape sequences. */
  g_assert_null (strchr (out, '\033'));
  g_assert_nonnull (strstr (out, "Processing mode: PARALLEL"));
  g_assert_nonnull (strstr (out, "Multi-account mode: 3 accounts active"));
  g_assert_nonnull (strstr (out, "All 6 takes done"));
  g_assert_null (strstr (out, "ya29."));
  g_assert_null (strstr (err, "ya29."));
  g_assert_cmpuint (count_files_with_suffix (fixture->out_dir, ".mp4"), ==, 6);

  g_assert_cmpint (run_cli (NULL, &runs, NULL, "runs", NULL), ==, 0);
  g_assert_nonnull (strstr (runs, "finished"));
  g_assert_nonnull (strstr (runs, "Paper Boats"));
  g_assert_nonnull (strstr (runs, "6/6"));
}

static void
test_run_json (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *out = NULL;
  g_autofree char *runs = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *run_id = NULL;
  gboolean saw_take = FALSE;
  gboolean saw_account = FALSE;
  gboolean saw_progress = FALSE;
  gboolean saw_log = FALSE;
  guint n_lines = 0;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "run", fixture->script_file, "--json",
                            "--accounts", fixture->accounts_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim),
                            "--out", fixture->out_dir, "--poll-interval", "50", NULL), ==, 0);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;
      const char *type;

      if (lines[i][0] == '\0')
        continue;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));
      type = json_object_get_string_member (object, "type");
      g_assert_nonnull (type);
      n_lines++;

      if (g_str_equal (type, "take"))
        saw_take = TRUE;
      else if (g_str_equal (type, "account"))
        saw_account = TRUE;
      else if (g_str_equal (type, "progress"))
        saw_progress = TRUE;
      else if (g_str_equal (type, "log"))
        saw_log = TRUE;
      else if (g_str_equal (type, "finished"))
        {
          g_assert_cmpint (json_object_get_int_member (object, "exit_status"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (object, "done"), ==, 6);
          g_assert_cmpint (json_object_get_int_member (object, "total"), ==, 6);
          run_id = g_strdup (json_object_get_string_member (object, "run_id"));
        }
      else
        g_assert_not_reached ();
    }

  g_assert_cmpuint (n_lines, >, 6);
  g_assert_true (saw_take && saw_account && saw_progress && saw_log);
  g_assert_nonnull (run_id);

  g_assert_cmpint (run_cli (NULL, &runs, NULL, "runs", NULL), ==, 0);
  g_assert_nonnull (strstr (runs, run_id));
}

static void
test_policy (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *script = g_build_filename (fixture->dir, "policy.txt", NULL);
  g_autofree char *out = NULL;

  write_file (script,
              "# Policy\n\nA lighthouse at dusk\n\nA scene full of gore and blood\n\n"
              "A calm harbor at dawn\n", 0644);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "run", script,
                            "--accounts", fixture->accounts_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim),
                            "--out", fixture->out_dir, "--poll-interval", "50", NULL), ==, 1);

  /* The refused scene is listed, with the reason. */
  g_assert_nonnull (strstr (out, "Failed scenes:"));
  g_assert_nonnull (strstr (out, "Scene 2"));
  g_assert_nonnull (strstr (out, "Prompt refused: PUBLIC_ERROR_UNSAFE_GENERATION"));
  g_assert_null (strstr (out, "Scene 1,"));
  g_assert_null (strstr (out, "Scene 3,"));
  g_assert_cmpuint (count_files_with_suffix (fixture->out_dir, ".mp4"), ==, 2);
}

static void
test_accounts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *secrets = g_build_filename (g_get_user_config_dir (), "clipfleet",
                                               "secrets.json", NULL);
  g_autofree char *store = g_build_filename (g_get_user_config_dir (), "clipfleet",
                                             "accounts.json", NULL);
  g_autofree char *legacy = g_build_filename (fixture->dir, "config.json", NULL);
  g_autofree char *store_text = NULL;
  g_autofree char *out = NULL;
  GStatBuf st;

  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "No accounts"));
  g_clear_pointer (&out, g_free);

  /* No Secret Service in reach: a clear error that names the way out, and nothing saved. */
  g_assert_cmpint (run_cli ("ya29.keyring\n", NULL, &err, "accounts", "add", "Keyring",
                            "--project-id", "p", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--secrets-file"));
  g_assert_null (strstr (err, "ya29."));
  g_assert_false (g_file_test (store, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run_cli ("ya29.test-b\n", &out, NULL, "--secrets-file", "accounts", "add",
                            "Account-B", "--project-id",
                            "22222222-2222-4222-8222-222222222222", "--max-in-flight", "2",
                            NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  /* Without a token: refused. A second account of the same name: refused. */
  g_assert_cmpint (run_cli ("", NULL, NULL, "--secrets-file", "accounts", "add", "Empty",
                            "--project-id", "p", NULL), ==, 2);
  g_assert_cmpint (run_cli ("ya29.x\n", NULL, NULL, "--secrets-file", "accounts", "add",
                            "Account-B", "--project-id", "p", NULL), ==, 2);

  /* The token lives in the 0600 secrets file only, never in accounts.json. */
  g_assert_cmpint (g_stat (secrets, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (store, &store_text, NULL, NULL));
  g_assert_null (strstr (store_text, "ya29."));

  g_assert_cmpint (run_cli (NULL, &out, NULL, "accounts", "list", "--secrets-file", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Account-B"));
  g_assert_nonnull (strstr (out, "1 token"));
  g_assert_null (strstr (out, "ya29."));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "test",
                            "--api-base", cf_sim_server_get_base_url (fixture->sim), NULL), ==, 0);
  g_assert_nonnull (strstr (out, "OK"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "accounts", "disable",
                            "Account-B", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "list", "--json",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"enabled\":false"));
  g_clear_pointer (&out, g_free);
  /* The only account is disabled: a run has no usable account. */
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "run", fixture->script_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim), NULL),
                   ==, 3);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "accounts", "enable",
                            "Account-B", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "accounts", "enable",
                            "Nobody", NULL), ==, 2);

  write_file (legacy,
              "{ \"labs_accounts\": [ { \"name\": \"Old-1\", \"project_id\": "
              "\"44444444-4444-4444-8444-444444444444\", \"tokens\": [\"ya29.old-1\"], "
              "\"enabled\": true } ] }", 0600);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "import", legacy,
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 1 account"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Old-1"));
  g_clear_pointer (&out, g_free);

  /* Old-1 is unknown to the simulator: its test fails, Account-B's passes. */
  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "test",
                            "--api-base", cf_sim_server_get_base_url (fixture->sim), NULL), ==, 1);
  g_assert_null (strstr (out, "ya29."));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "accounts", "remove", "Old-1",
                            NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "--secrets-file", "accounts", "remove",
                            "Account-B", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "--secrets-file", "accounts", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "No accounts"));
}

static void
test_interrupt (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *script = g_build_filename (fixture->dir, "long.txt", NULL);
  g_autoptr(GString) text = g_string_new ("# Long Story\n\n");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cli_path ();
  g_autofree char *message = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *expected = NULL;
  gboolean interrupted = FALSE;
  char *line;

  /* More scenes than the accounts have room for: some are still queued at the stop. */
  for (guint i = 1; i <= 12; i++)
    g_string_append_printf (text, "Chapter %u: a lantern moves through a dark forest\n\n", i);
  write_file (script, text->str, 0644);

  launcher = new_isolated_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &error, path, "run", script, "--json",
                                         "--accounts", fixture->accounts_file,
                                         "--api-base", cf_sim_server_get_base_url (fixture->sim),
                                         "--out", fixture->out_dir, "--poll-interval", "50",
                                         NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *owned = line;
      JsonObject *event;
      const char *type;

      json_parser_load_from_data (parser, owned, -1, &error);
      g_assert_no_error (error);
      event = json_node_get_object (json_parser_get_root (parser));
      type = json_object_get_string_member (event, "type");

      /* Ctrl+C once the first take is paid for. */
      if (!interrupted && g_str_equal (type, "take")
          && g_str_equal (json_object_get_string_member (event, "state"), "pending"))
        {
          g_subprocess_send_signal (process, SIGINT);
          interrupted = TRUE;
        }
      if (g_str_equal (type, "finished"))
        {
          g_assert_cmpint (json_object_get_int_member (event, "exit_status"), ==, 130);
          g_assert_cmpint (json_object_get_int_member (event, "done"), <, 12);
          message = g_strdup (json_object_get_string_member (event, "message"));
          run_id = g_strdup (json_object_get_string_member (event, "run_id"));
        }
    }
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (interrupted);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);

  /* The message says how to go on, and going on finishes the run. */
  g_assert_nonnull (run_id);
  expected = g_strdup_printf ("Interrupted. Resume with: clipfleet-cli resume %s", run_id);
  g_assert_cmpstr (message, ==, expected);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "resume", run_id,
                            "--accounts", fixture->accounts_file,
                            "--api-base", cf_sim_server_get_base_url (fixture->sim),
                            "--poll-interval", "50", NULL), ==, 0);
  g_assert_cmpuint (count_files_with_suffix (fixture->out_dir, ".mp4"), ==, 12);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *out = NULL;

  /* The real demo takes half a minute; the same demo on a faster clock. */
  g_assert_cmpint (run_cli (NULL, &out, NULL, "demo", "--out", fixture->out_dir,
                            "--sim-time-scale", "0.01", "--poll-interval", "50", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "SIMULATED"));
  g_assert_nonnull (strstr (out, "All 10 takes done"));
  g_assert_cmpuint (count_files_with_suffix (fixture->out_dir, ".mp4"), ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add ("/cli/bad-input", Fixture, NULL, fixture_set_up, test_bad_input,
              fixture_tear_down);
  g_test_add ("/cli/no-account", Fixture, NULL, fixture_set_up, test_no_account,
              fixture_tear_down);
  g_test_add ("/cli/run-plain", Fixture, NULL, fixture_set_up, test_run_plain,
              fixture_tear_down);
  g_test_add ("/cli/run-json", Fixture, NULL, fixture_set_up, test_run_json,
              fixture_tear_down);
  g_test_add ("/cli/policy", Fixture, NULL, fixture_set_up, test_policy, fixture_tear_down);
  g_test_add ("/cli/interrupt", Fixture, NULL, fixture_set_up, test_interrupt,
              fixture_tear_down);
  g_test_add ("/cli/demo", Fixture, NULL, fixture_set_up, test_demo, fixture_tear_down);
  g_test_add ("/cli/accounts", Fixture, NULL, fixture_set_up, test_accounts,
              fixture_tear_down);

  return g_test_run ();
}
