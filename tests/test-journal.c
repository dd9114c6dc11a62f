/* test-journal.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cf-error.h"
#include "cf-journal-private.h"

/*
 * The run journal: whole lines, private files, and what reading it back
 * says about each take (the resume's view), torn last lines included.
 */

static char *
make_run_dir (const char *state_dir,
              const char *run_id)
{
  return g_build_filename (state_dir, run_id, NULL);
}

static JsonObject *
run_line (const char *run_id,
          guint       n_scenes,
          guint       takes)
{
  JsonObject *line = json_object_new ();
  JsonArray *scenes = json_array_new ();
  JsonArray *accounts = json_array_new ();
  JsonObject *account = json_object_new ();

  json_object_set_string_member (line, "run_id", run_id);
  json_object_set_string_member (line, "title", "Paper boats");
  json_object_set_object_member (line, "settings", json_object_new ());
  for (guint i = 1; i <= n_scenes; i++)
    {
      JsonObject *scene = json_object_new ();
      g_autofree char *prompt = g_strdup_printf ("Shot %u", i);

      json_object_set_int_member (scene, "number", i);
      json_object_set_string_member (scene, "prompt", prompt);
      json_object_set_string_member (scene, "aspect", "9:16");
      json_object_set_int_member (scene, "takes", takes);
      json_object_set_int_member (scene, "seed", -1);
      json_array_add_object_element (scenes, scene);
    }
  json_object_set_array_member (line, "scenes", scenes);
  json_object_set_string_member (account, "id", "acc-1");
  json_object_set_string_member (account, "name", "Account-A");
  json_array_add_object_element (accounts, account);
  json_object_set_array_member (line, "accounts", accounts);

  return line;
}

static JsonObject *
takes_line (guint        scene,
            const guint *takes,
            guint        n_takes)
{
  JsonObject *line = json_object_new ();
  JsonArray *array = json_array_new ();

  json_object_set_int_member (line, "scene", scene);
  for (guint i = 0; i < n_takes; i++)
    json_array_add_int_element (array, takes[i]);
  json_object_set_array_member (line, "takes", array);
  json_object_set_string_member (line, "account_id", "acc-1");
  json_object_set_string_member (line, "account_name", "Account-A");
  return line;
}

static void
append (CfJournal  *journal,
        const char *kind,
        JsonObject *line)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_journal_append (journal, kind, line, TRUE, &error));
  g_assert_no_error (error);
}

static void
append_accepted (CfJournal  *journal,
                 guint       scene,
                 const guint *takes,
                 guint       n_takes)
{
  JsonObject *line = takes_line (scene, takes, n_takes);
  JsonArray *handles = json_array_new ();

  for (guint i = 0; i < n_takes; i++)
    {
      g_autofree char *name = g_strdup_printf ("operations/op-%u-%u", scene, takes[i]);
      g_autoptr(CfTakeHandle) handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_OPERATION, name);

      json_array_add_element (handles, cf_take_handle_to_json (handle));
    }
  json_object_set_array_member (line, "handles", handles);
  append (journal, CF_JOURNAL_ACCEPTED, line);
}

static void
test_write_and_replay (void)
{
  g_autofree char *state_dir = g_dir_make_tmp ("cf-journal-XXXXXX", NULL);
  g_autofree char *run_dir = make_run_dir (state_dir, "run-1");
  g_autofree char *path = g_build_filename (run_dir, CF_JOURNAL_FILE_NAME, NULL);
  g_autoptr(CfJournal) journal = NULL;
  g_autoptr(CfReplay) replay = NULL;
  g_autoptr(CfRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const guint one[] = { 1 };
  const guint both[] = { 1, 2 };
  CfReplayScene *scene;
  JsonObject *line;
  GStatBuf st;
  FILE *file;

  journal = cf_journal_open (run_dir, &error);
  g_assert_no_error (error);
  append (journal, CF_JOURNAL_RUN, run_line ("run-1", 5, 2));

  /* Scene 1: both takes accepted, take 1 downloaded, take 2 still pending. */
  append (journal, CF_JOURNAL_SUBMIT, takes_line (1, both, 2));
  append_accepted (journal, 1, both, 2);
  line = json_object_new ();
  json_object_set_int_member (line, "scene", 1);
  json_object_set_int_member (line, "take", 1);
  json_object_set_string_member (line, "file", "/tmp/a.mp4");
  append (journal, CF_JOURNAL_DONE, line);

  /* Scene 2: the submit was sent and nothing came back: uncertain. */
  append (journal, CF_JOURNAL_SUBMIT, takes_line (2, both, 2));

  /* Scene 3: refused without charge: to be submitted again. */
  append (journal, CF_JOURNAL_SUBMIT, takes_line (3, one, 1));
  line = takes_line (3, one, 1);
  json_object_set_int_member (line, "code", CF_ERROR_TRANSIENT);
  append (journal, CF_JOURNAL_REJECTED, line);

  /* Scene 4 take 1: a final policy failure; take 2 failed on the service and goes back. */
  append (journal, CF_JOURNAL_SUBMIT, takes_line (4, both, 2));
  append_accepted (journal, 4, both, 2);
  line = json_object_new ();
  json_object_set_int_member (line, "scene", 4);
  json_object_set_int_member (line, "take", 1);
  json_object_set_int_member (line, "code", CF_ERROR_POLICY);
  json_object_set_string_member (line, "reason", "PUBLIC_ERROR_UNSAFE_GENERATION");
  json_object_set_boolean_member (line, "final", TRUE);
  append (journal, CF_JOURNAL_FAILED, line);
  line = json_object_new ();
  json_object_set_int_member (line, "scene", 4);
  json_object_set_int_member (line, "take", 2);
  json_object_set_boolean_member (line, "final", FALSE);
  append (journal, CF_JOURNAL_FAILED, line);

  /* Scene 5: never started. */
  g_clear_pointer (&journal, cf_journal_close);

  /* The journal is private. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A crash mid-write leaves a torn line: it never happened. */
  file = g_fopen (path, "a");
  fputs ("{\"t\":\"done\",\"scene\":1,\"take\":2,\"fi", file);
  fclose (file);

  replay = cf_replay_read (run_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replay->run_id, ==, "run-1");
  g_assert_cmpstr (replay->script_title, ==, "Paper boats");
  g_assert_cmpuint (replay->scenes->len, ==, 5);
  g_assert_false (replay->ended);

  scene = g_ptr_array_index (replay->scenes, 0);
  g_assert_cmpint (scene->aspect, ==, CF_ASPECT_PORTRAIT);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_DONE);
  g_assert_cmpstr (scene->takes[0].file, ==, "/tmp/a.mp4");
  g_assert_cmpint (scene->takes[1].status, ==, CF_REPLAY_HANDLE);
  g_assert_cmpstr (scene->takes[1].handle->name, ==, "operations/op-1-2");
  g_assert_cmpstr (scene->takes[1].account_id, ==, "acc-1");

  scene = g_ptr_array_index (replay->scenes, 1);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_UNCERTAIN);
  g_assert_cmpint (scene->takes[1].status, ==, CF_REPLAY_UNCERTAIN);

  scene = g_ptr_array_index (replay->scenes, 2);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_UNSUBMITTED);
  g_assert_cmpint (scene->takes[1].status, ==, CF_REPLAY_UNSUBMITTED);

  scene = g_ptr_array_index (replay->scenes, 3);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_FAILED);
  g_assert_cmpint (scene->takes[0].error_code, ==, CF_ERROR_POLICY);
  g_assert_cmpint (scene->takes[1].status, ==, CF_REPLAY_UNSUBMITTED);

  info = cf_journal_read_info (run_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->n_takes, ==, 10);
  g_assert_cmpuint (info->n_done, ==, 1);
  g_assert_cmpuint (info->n_pending, ==, 1);
  g_assert_cmpuint (info->n_uncertain, ==, 2);
  g_assert_cmpuint (info->n_failed, ==, 1);
  g_assert_cmpuint (info->n_unsubmitted, ==, 5);
  g_assert_true (cf_run_info_is_resumable (info));

  g_unlink (path);
  g_rmdir (run_dir);
  g_rmdir (state_dir);
}

/*
 * A take accepted by an account that left the run: the "superseded" line
 * keeps its handle collectable until a new submit is journalled, and from
 * then on only the new attempt counts (never two files for one take).
 */
static void
test_superseded (void)
{
  g_autofree char *state_dir = g_dir_make_tmp ("cf-journal-XXXXXX", NULL);
  g_autofree char *run_dir = make_run_dir (state_dir, "run-s");
  g_autoptr(CfJournal) journal = NULL;
  g_autoptr(CfReplay) replay = NULL;
  g_autoptr(GError) error = NULL;
  const guint one[] = { 1 };
  CfReplayScene *scene;
  JsonObject *line;

  journal = cf_journal_open (run_dir, &error);
  g_assert_no_error (error);
  append (journal, CF_JOURNAL_RUN, run_line ("run-s", 1, 1));
  append (journal, CF_JOURNAL_SUBMIT, takes_line (1, one, 1));
  append_accepted (journal, 1, one, 1);
  line = json_object_new ();
  json_object_set_int_member (line, "scene", 1);
  json_object_set_int_member (line, "take", 1);
  json_object_set_int_member (line, "code", CF_ERROR_AUTH_EXPIRED);
  json_object_set_string_member (line, "reason", "The tokens expired");
  append (journal, CF_JOURNAL_SUPERSEDED, line);

  /* Crashed here: the old handle is still the take's, a resume collects it. */
  replay = cf_replay_read (run_dir, &error);
  g_assert_no_error (error);
  scene = g_ptr_array_index (replay->scenes, 0);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_HANDLE);
  g_assert_true (scene->takes[0].superseded);
  g_assert_cmpstr (scene->takes[0].handle->name, ==, "operations/op-1-1");
  g_clear_pointer (&replay, cf_replay_free);

  /* Sent again elsewhere: the new submit wins, the old handle is not collected. */
  append (journal, CF_JOURNAL_SUBMIT, takes_line (1, one, 1));
  replay = cf_replay_read (run_dir, &error);
  g_assert_no_error (error);
  scene = g_ptr_array_index (replay->scenes, 0);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_UNCERTAIN);
  g_assert_null (scene->takes[0].handle);
  g_assert_false (scene->takes[0].superseded);
  g_clear_pointer (&replay, cf_replay_free);

  /* A later submit of a take that was not superseded still cannot undo its handle. */
  append_accepted (journal, 1, one, 1);
  append (journal, CF_JOURNAL_SUBMIT, takes_line (1, one, 1));
  replay = cf_replay_read (run_dir, &error);
  g_assert_no_error (error);
  scene = g_ptr_array_index (replay->scenes, 0);
  g_assert_cmpint (scene->takes[0].status, ==, CF_REPLAY_HANDLE);
  g_assert_nonnull (scene->takes[0].handle);
}

static JsonObject *
take_line (guint scene,
           guint take)
{
  JsonObject *line = json_object_new ();

  json_object_set_int_member (line, "scene", scene);
  json_object_set_int_member (line, "take", take);
  return line;
}

static CfReplayStatus
replay_status (const char *run_dir)
{
  g_autoptr(CfReplay) replay = NULL;
  g_autoptr(GError) error = NULL;
  CfReplayScene *scene;

  replay = cf_replay_read (run_dir, &error);
  g_assert_no_error (error);
  scene = g_ptr_array_index (replay->scenes, 0);
  if (scene->takes[0].status == CF_REPLAY_UNSUBMITTED)
    g_assert_null (scene->takes[0].handle);
  return scene->takes[0].status;
}

/*
 * A take the user retried during the run (cf_run_retry_take()): a resume
 * makes it again unless a later line says it was made, or that the retry
 * was refused.
 */
static void
test_retry (void)
{
  g_autofree char *state_dir = g_dir_make_tmp ("cf-journal-XXXXXX", NULL);
  g_autofree char *run_dir = make_run_dir (state_dir, "run-r");
  g_autoptr(CfJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  const guint one[] = { 1 };
  JsonObject *line;

  journal = cf_journal_open (run_dir, &error);
  g_assert_no_error (error);
  append (journal, CF_JOURNAL_RUN, run_line ("run-r", 1, 1));
  append (journal, CF_JOURNAL_SUBMIT, takes_line (1, one, 1));
  append_accepted (journal, 1, one, 1);
  line = take_line (1, 1);
  json_object_set_int_member (line, "code", CF_ERROR_FAILED);
  json_object_set_boolean_member (line, "final", TRUE);
  append (journal, CF_JOURNAL_FAILED, line);
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_FAILED);

  /* Retried: to be made again, its dead handle forgotten. */
  append (journal, CF_JOURNAL_RETRY, take_line (1, 1));
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_UNSUBMITTED);

  /* The queue refused it after all: failed again, and final. */
  line = take_line (1, 1);
  json_object_set_boolean_member (line, "final", TRUE);
  append (journal, CF_JOURNAL_FAILED, line);
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_FAILED);

  /* Retried and sent: the new attempt is what a resume follows. */
  append (journal, CF_JOURNAL_RETRY, take_line (1, 1));
  append (journal, CF_JOURNAL_SUBMIT, takes_line (1, one, 1));
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_UNCERTAIN);
  append_accepted (journal, 1, one, 1);
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_HANDLE);

  /* A timed-out take keeps its handle; retried, it is made again instead. */
  line = take_line (1, 1);
  json_object_set_int_member (line, "code", CF_ERROR_TIMED_OUT);
  append (journal, CF_JOURNAL_TIMED_OUT, line);
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_HANDLE);
  append (journal, CF_JOURNAL_RETRY, take_line (1, 1));
  g_assert_cmpint (replay_status (run_dir), ==, CF_REPLAY_UNSUBMITTED);
}

static void
test_list_runs (void)
{
  g_autofree char *state_dir = g_dir_make_tmp ("cf-journal-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (state_dir, "missing", NULL);
  g_autofree char *junk_dir = g_build_filename (state_dir, "junk", NULL);
  g_autofree char *junk = g_build_filename (junk_dir, CF_JOURNAL_FILE_NAME, NULL);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { "run-old", "run-new" };

  runs = cf_journal_list_runs (missing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 0);
  g_clear_pointer (&runs, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *run_dir = make_run_dir (state_dir, ids[i]);
      g_autoptr(CfJournal) journal = cf_journal_open (run_dir, &error);
      JsonObject *end = json_object_new ();

      g_assert_no_error (error);
      append (journal, CF_JOURNAL_RUN, run_line (ids[i], 1, 1));
      json_object_set_string_member (end, "state", "finished");
      append (journal, CF_JOURNAL_END, end);
      /* Runs are ordered by their start, a second apart at least. */
      if (i == 0)
        g_usleep (1100 * 1000);
    }

  /* Something that is not a journal is skipped, not an error. */
  g_mkdir (junk_dir, 0700);
  g_file_set_contents (junk, "not json\n", -1, NULL);

  runs = cf_journal_list_runs (state_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpstr (((CfRunInfo *) g_ptr_array_index (runs, 0))->run_id, ==, "run-new");
  g_assert_cmpstr (((CfRunInfo *) g_ptr_array_index (runs, 1))->run_id, ==, "run-old");
  g_assert_true (((CfRunInfo *) g_ptr_array_index (runs, 0))->ended);
  g_assert_cmpstr (((CfRunInfo *) g_ptr_array_index (runs, 0))->end_state, ==, "finished");
  /* It ended without submitting its one take: a resume would still do it. */
  g_assert_true (cf_run_info_is_resumable (g_ptr_array_index (runs, 0)));
  g_assert_cmpuint (((CfRunInfo *) g_ptr_array_index (runs, 0))->n_unsubmitted, ==, 1);

  {
    g_autoptr(CfRunInfo) copy = cf_run_info_copy (g_ptr_array_index (runs, 1));

    g_assert_cmpstr (copy->run_id, ==, "run-old");
    g_assert_cmpuint (copy->n_takes, ==, 1);
  }

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *run_dir = make_run_dir (state_dir, ids[i]);
      g_autofree char *path = g_build_filename (run_dir, CF_JOURNAL_FILE_NAME, NULL);

      g_unlink (path);
      g_rmdir (run_dir);
    }
  g_unlink (junk);
  g_rmdir (junk_dir);
  g_rmdir (state_dir);
}

static void
test_not_a_journal (void)
{
  g_autofree char *state_dir = g_dir_make_tmp ("cf-journal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (state_dir, CF_JOURNAL_FILE_NAME, NULL);
  g_autoptr(GError) error = NULL;
  CfReplay *replay;

  replay = cf_replay_read (state_dir, &error);
  g_assert_null (replay);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);

  g_file_set_contents (path, "{\"t\":\"submit\",\"scene\":1}\n", -1, NULL);
  replay = cf_replay_read (state_dir, &error);
  g_assert_null (replay);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);

  g_unlink (path);
  g_rmdir (state_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/journal/write-and-replay", test_write_and_replay);
  g_test_add_func ("/journal/list-runs", test_list_runs);
  g_test_add_func ("/journal/superseded", test_superseded);
  g_test_add_func ("/journal/retry", test_retry);
  g_test_add_func ("/journal/not-a-journal", test_not_a_journal);

  return g_test_run ();
}
