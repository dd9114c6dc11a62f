/* cf-journal.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cf-error.h"
#include "cf-journal-private.h"

struct _CfJournal
{
  GMutex   mutex;
  GCond    synced_cond;
  int      fd;
  char    *dir;
  char    *path;

  /*
   * Group commit: lines are numbered as they are written; one thread at a
   * time runs fdatasync() (without the lock, so others keep writing) and
   * every line written before it started is durable when it ends. Workers
   * that need a sync while one runs wait for the next one instead of
   * queueing their own behind it.
   */
  guint64  written;
  guint64  synced;
  gboolean syncing;
};

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                       _("Could not write the run journal: %s"), g_strerror (saved));
          return FALSE;
        }
      data += n;
      length -= n;
    }

  return TRUE;
}

CfJournal *
cf_journal_open (const char  *run_dir,
                 GError     **error)
{
  g_autofree char *path = NULL;
  CfJournal *self;
  int fd;

  g_return_val_if_fail (run_dir != NULL, NULL);

  if (g_mkdir_with_parents (run_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not create the run folder “%s”: %s"),
                   run_dir, g_strerror (saved));
      return NULL;
    }

  path = g_build_filename (run_dir, CF_JOURNAL_FILE_NAME, NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not open the run journal “%s”: %s"),
                   path, g_strerror (saved));
      return NULL;
    }

  self = g_new0 (CfJournal, 1);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->synced_cond);
  self->fd = fd;
  self->dir = g_strdup (run_dir);
  self->path = g_steal_pointer (&path);

  return self;
}

gboolean
cf_journal_append (CfJournal   *self,
                   const char  *kind,
                   JsonObject  *line,
                   gboolean     sync,
                   GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  gsize length;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  json_object_set_string_member (line, "t", kind);
  json_object_set_int_member (line, "ts", g_get_real_time ());

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, line);
  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);

  /* One write per line, newline included, so that concurrent workers never interleave. */
  text = g_realloc (text, length + 2);
  text[length] = '\n';
  text[length + 1] = '\0';

  g_mutex_lock (&self->mutex);
  ok = write_all (self->fd, text, length + 1, error);
  if (ok)
    {
      guint64 seq = ++self->written;

      while (sync && ok && self->synced < seq)
        {
          if (self->syncing)
            {
              g_cond_wait (&self->synced_cond, &self->mutex);
              continue;
            }
          else
            {
              guint64 target = self->written;
              int result;
              int saved = 0;

              self->syncing = TRUE;
              g_mutex_unlock (&self->mutex);
              result = fdatasync (self->fd);
              if (result != 0)
                saved = errno;
              g_mutex_lock (&self->mutex);
              self->syncing = FALSE;
              if (result == 0)
                self->synced = MAX (self->synced, target);
              g_cond_broadcast (&self->synced_cond);

              if (result != 0)
                {
                  g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                               _("Could not write the run journal: %s"), g_strerror (saved));
                  ok = FALSE;
                }
            }
        }
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

const char *
cf_journal_get_dir (CfJournal *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}

void
cf_journal_close (CfJournal *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    {
      fdatasync (self->fd);
      close (self->fd);
    }
  g_cond_clear (&self->synced_cond);
  g_mutex_clear (&self->mutex);
  g_free (self->dir);
  g_free (self->path);
  g_free (self);
}

/* Reading back */

static void
replay_take_clear (CfReplayTake *take)
{
  g_clear_pointer (&take->handle, cf_take_handle_free);
  g_clear_pointer (&take->account_id, g_free);
  g_clear_pointer (&take->account_name, g_free);
  g_clear_pointer (&take->file, g_free);
  g_clear_pointer (&take->remote_state, g_free);
  g_clear_pointer (&take->reason, g_free);
}

static void
replay_scene_free (CfReplayScene *scene)
{
  for (guint i = 0; i < scene->n_takes; i++)
    replay_take_clear (&scene->takes[i]);
  g_free (scene->takes);
  g_free (scene->title);
  g_free (scene->prompt);
  g_free (scene->negative_prompt);
  g_free (scene);
}

void
cf_replay_free (CfReplay *replay)
{
  if (replay == NULL)
    return;

  g_free (replay->run_id);
  g_free (replay->dir);
  g_free (replay->script_title);
  g_clear_pointer (&replay->settings, json_object_unref);
  g_clear_pointer (&replay->scenes, g_ptr_array_unref);
  g_clear_pointer (&replay->accounts, g_ptr_array_unref);
  g_free (replay->end_state);
  g_free (replay);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object,
         const char *member,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static void
set_account (CfReplayTake *take,
             JsonObject   *line)
{
  const char *id = get_string (line, "account_id");
  const char *name = get_string (line, "account_name");

  if (id != NULL)
    {
      g_free (take->account_id);
      take->account_id = g_strdup (id);
    }
  if (name != NULL)
    {
      g_free (take->account_name);
      take->account_name = g_strdup (name);
    }
}

static gboolean
replay_run_line (CfReplay    *replay,
                 JsonObject  *line,
                 GHashTable  *by_number,
                 GError     **error)
{
  JsonArray *scenes = get_array (line, "scenes");
  JsonArray *accounts = get_array (line, "accounts");
  JsonNode *settings = json_object_get_member (line, "settings");

  if (scenes == NULL || get_string (line, "run_id") == NULL)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The run journal in “%s” does not start with a run line"), replay->dir);
      return FALSE;
    }

  replay->run_id = g_strdup (get_string (line, "run_id"));
  replay->script_title = g_strdup (get_string (line, "title"));
  replay->created = get_int (line, "ts", 0);
  if (settings != NULL && JSON_NODE_HOLDS_OBJECT (settings))
    replay->settings = json_object_ref (json_node_get_object (settings));
  else
    replay->settings = json_object_new ();

  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      JsonNode *node = json_array_get_element (scenes, i);
      JsonObject *object;
      CfReplayScene *scene;
      CfAspect aspect = CF_ASPECT_LANDSCAPE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);

      scene = g_new0 (CfReplayScene, 1);
      scene->number = (guint) get_int (object, "number", i + 1);
      scene->title = g_strdup (get_string (object, "title"));
      scene->prompt = g_strdup (get_string (object, "prompt"));
      scene->negative_prompt = g_strdup (get_string (object, "negative_prompt"));
      if (cf_aspect_from_string (get_string (object, "aspect"), &aspect))
        scene->aspect = aspect;
      else
        scene->aspect = CF_ASPECT_LANDSCAPE;
      scene->n_takes = (guint) CLAMP (get_int (object, "takes", 1), 1, 16);
      scene->seed = get_int (object, "seed", -1);
      scene->takes = g_new0 (CfReplayTake, scene->n_takes);
      for (guint t = 0; t < scene->n_takes; t++)
        {
          scene->takes[t].error_code = -1;
          scene->takes[t].seed = -1;
        }
      if (scene->prompt == NULL)
        scene->prompt = g_strdup ("");

      g_hash_table_insert (by_number, GUINT_TO_POINTER (scene->number), scene);
      g_ptr_array_add (replay->scenes, scene);
    }

  if (accounts != NULL)
    for (guint i = 0; i < json_array_get_length (accounts); i++)
      {
        JsonNode *node = json_array_get_element (accounts, i);

        if (JSON_NODE_HOLDS_OBJECT (node))
          g_ptr_array_add (replay->accounts, json_object_ref (json_node_get_object (node)));
      }

  return TRUE;
}

/* The take a line is about; NULL when it names none we know (ignored). */
static CfReplayTake *
line_take (JsonObject *line,
           GHashTable *by_number,
           gint64      take_number)
{
  CfReplayScene *scene;
  gint64 number = get_int (line, "scene", -1);

  if (number < 0)
    return NULL;
  scene = g_hash_table_lookup (by_number, GUINT_TO_POINTER ((guint) number));
  if (scene == NULL || take_number < 1 || take_number > scene->n_takes)
    return NULL;
  return &scene->takes[take_number - 1];
}

static void
replay_take_line (CfReplay   *replay,
                  const char *kind,
                  JsonObject *line,
                  GHashTable *by_number)
{
  JsonArray *takes = get_array (line, "takes");

  if (g_str_equal (kind, CF_JOURNAL_SUBMIT) ||
      g_str_equal (kind, CF_JOURNAL_ACCEPTED) ||
      g_str_equal (kind, CF_JOURNAL_REJECTED))
    {
      JsonArray *handles = get_array (line, "handles");
      gint64 seed = get_int (line, "seed", -1);

      if (takes == NULL)
        return;

      for (guint i = 0; i < json_array_get_length (takes); i++)
        {
          gint64 number = json_array_get_int_element (takes, i);
          CfReplayTake *take = line_take (line, by_number, number);

          if (take == NULL)
            continue;

          /* A take already paid for never goes back to an earlier status. */
          if (take->status == CF_REPLAY_DONE || take->status == CF_REPLAY_FAILED)
            continue;

          set_account (take, line);

          if (g_str_equal (kind, CF_JOURNAL_SUBMIT))
            {
              /* A superseded take was sent again: the new attempt wins over its old handle. */
              if (take->status == CF_REPLAY_HANDLE && !take->superseded)
                continue;
              take->superseded = FALSE;
              g_clear_pointer (&take->handle, cf_take_handle_free);
              take->status = CF_REPLAY_UNCERTAIN;
              take->attempts++;
              take->seed = seed >= 0 ? seed + i : -1;
              take->submitted_time = get_int (line, "ts", 0);
            }
          else if (g_str_equal (kind, CF_JOURNAL_REJECTED))
            {
              if (take->status == CF_REPLAY_UNCERTAIN)
                take->status = CF_REPLAY_UNSUBMITTED;
              take->error_code = (int) get_int (line, "code", -1);
              g_free (take->reason);
              take->reason = g_strdup (get_string (line, "reason"));
            }
          else if (handles != NULL && i < json_array_get_length (handles))
            {
              g_autoptr(GError) local_error = NULL;
              CfTakeHandle *handle;

              handle = cf_take_handle_from_json (json_array_get_element (handles, i),
                                                 &local_error);
              if (handle == NULL)
                continue;
              g_clear_pointer (&take->handle, cf_take_handle_free);
              take->handle = handle;
              take->status = CF_REPLAY_HANDLE;
              if (handle->seed >= 0)
                take->seed = handle->seed;
            }
        }
      return;
    }

  {
    CfReplayTake *take = line_take (line, by_number, get_int (line, "take", -1));

    if (take == NULL)
      return;

    if (g_str_equal (kind, CF_JOURNAL_STATE))
      {
        g_free (take->remote_state);
        take->remote_state = g_strdup (get_string (line, "state"));
      }
    else if (g_str_equal (kind, CF_JOURNAL_DONE))
      {
        take->status = CF_REPLAY_DONE;
        g_free (take->file);
        take->file = g_strdup (get_string (line, "file"));
        take->finished_time = get_int (line, "ts", 0);
      }
    else if (g_str_equal (kind, CF_JOURNAL_FAILED))
      {
        JsonNode *final = json_object_get_member (line, "final");

        take->error_code = (int) get_int (line, "code", -1);
        g_free (take->reason);
        take->reason = g_strdup (get_string (line, "reason"));
        if (final != NULL && JSON_NODE_HOLDS_VALUE (final) && json_node_get_boolean (final))
          {
            take->status = CF_REPLAY_FAILED;
            take->finished_time = get_int (line, "ts", 0);
          }
        else
          {
            /* The generation failed without a file: it goes back to the queue. */
            take->status = CF_REPLAY_UNSUBMITTED;
            g_clear_pointer (&take->handle, cf_take_handle_free);
          }
      }
    else if (g_str_equal (kind, CF_JOURNAL_RETRY))
      {
        /* Failed, then retried by the user: the take is to be made again,
         * unless a later line says it was. */
        if (take->status == CF_REPLAY_FAILED || take->status == CF_REPLAY_HANDLE)
          {
            take->status = CF_REPLAY_UNSUBMITTED;
            take->superseded = FALSE;
            take->finished_time = 0;
            g_clear_pointer (&take->handle, cf_take_handle_free);
          }
      }
    else if (g_str_equal (kind, CF_JOURNAL_SUPERSEDED))
      {
        /* Still HANDLE: without a later submit a resume collects the old handle. */
        if (take->status == CF_REPLAY_HANDLE)
          take->superseded = TRUE;
        take->error_code = (int) get_int (line, "code", -1);
        g_free (take->reason);
        take->reason = g_strdup (get_string (line, "reason"));
      }
    else if (g_str_equal (kind, CF_JOURNAL_DOWNLOAD_FAILED) ||
             g_str_equal (kind, CF_JOURNAL_TIMED_OUT))
      {
        take->error_code = (int) get_int (line, "code", -1);
        g_free (take->reason);
        take->reason = g_strdup (get_string (line, "reason"));
      }
  }
}

CfReplay *
cf_replay_read (const char  *run_dir,
                GError     **error)
{
  g_autoptr(CfReplay) replay = NULL;
  g_autoptr(GHashTable) by_number = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  char *line;
  char *next;
  guint line_number = 0;

  g_return_val_if_fail (run_dir != NULL, NULL);

  path = g_build_filename (run_dir, CF_JOURNAL_FILE_NAME, NULL);
  if (!g_file_get_contents (path, &contents, &length, NULL))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("No run journal in “%s”"), run_dir);
      return NULL;
    }

  replay = g_new0 (CfReplay, 1);
  replay->dir = g_strdup (run_dir);
  replay->scenes = g_ptr_array_new_with_free_func ((GDestroyNotify) replay_scene_free);
  replay->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  by_number = g_hash_table_new (NULL, NULL);
  parser = json_parser_new_immutable ();

  for (line = contents; line < contents + length; line = next)
    {
      JsonNode *root;
      JsonObject *object;
      const char *kind;
      char *end = memchr (line, '\n', contents + length - line);

      /* A line without its newline was torn by a crash: it never happened. */
      if (end == NULL)
        break;
      *end = '\0';
      next = end + 1;
      line_number++;

      if (*line == '\0')
        continue;
      if (!json_parser_load_from_data (parser, line, end - line, NULL))
        continue;
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      object = json_node_get_object (root);
      kind = get_string (object, "t");
      if (kind == NULL)
        continue;

      if (line_number == 1 || replay->run_id == NULL)
        {
          if (!g_str_equal (kind, CF_JOURNAL_RUN))
            continue;
          if (!replay_run_line (replay, object, by_number, error))
            return NULL;
          replay->updated = replay->created;
          continue;
        }

      replay->updated = MAX (replay->updated, get_int (object, "ts", 0));

      if (g_str_equal (kind, CF_JOURNAL_END))
        {
          replay->ended = TRUE;
          g_free (replay->end_state);
          replay->end_state = g_strdup (get_string (object, "state"));
        }
      else if (g_str_equal (kind, CF_JOURNAL_RESUME))
        {
          replay->ended = FALSE;
          g_clear_pointer (&replay->end_state, g_free);
        }
      else
        replay_take_line (replay, kind, object, by_number);
    }

  if (replay->run_id == NULL)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The run journal in “%s” does not start with a run line"), run_dir);
      return NULL;
    }

  return g_steal_pointer (&replay);
}

/* Run infos */

G_DEFINE_BOXED_TYPE (CfRunInfo, cf_run_info, cf_run_info_copy, cf_run_info_free)

CfRunInfo *
cf_run_info_copy (const CfRunInfo *self)
{
  CfRunInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->run_id = g_strdup (self->run_id);
  copy->dir = g_strdup (self->dir);
  copy->script_title = g_strdup (self->script_title);
  copy->end_state = g_strdup (self->end_state);

  return copy;
}

void
cf_run_info_free (CfRunInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->run_id);
  g_free (self->dir);
  g_free (self->script_title);
  g_free (self->end_state);
  g_free (self);
}

gboolean
cf_run_info_is_resumable (const CfRunInfo *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->n_pending > 0 || self->n_unsubmitted > 0 || self->n_uncertain > 0;
}

CfRunInfo *
cf_journal_read_info (const char  *run_dir,
                      GError     **error)
{
  g_autoptr(CfReplay) replay = NULL;
  CfRunInfo *info;

  g_return_val_if_fail (run_dir != NULL, NULL);

  replay = cf_replay_read (run_dir, error);
  if (replay == NULL)
    return NULL;

  info = g_new0 (CfRunInfo, 1);
  info->run_id = g_strdup (replay->run_id);
  info->dir = g_strdup (run_dir);
  info->script_title = g_strdup (replay->script_title);
  info->created = replay->created / G_USEC_PER_SEC;
  info->updated = replay->updated / G_USEC_PER_SEC;
  info->n_scenes = replay->scenes->len;
  info->ended = replay->ended;
  info->end_state = g_strdup (replay->end_state);

  for (guint i = 0; i < replay->scenes->len; i++)
    {
      CfReplayScene *scene = g_ptr_array_index (replay->scenes, i);

      for (guint t = 0; t < scene->n_takes; t++)
        {
          info->n_takes++;
          switch (scene->takes[t].status)
            {
            case CF_REPLAY_UNSUBMITTED:
              info->n_unsubmitted++;
              break;
            case CF_REPLAY_UNCERTAIN:
              info->n_uncertain++;
              break;
            case CF_REPLAY_HANDLE:
              info->n_pending++;
              break;
            case CF_REPLAY_DONE:
              info->n_done++;
              break;
            case CF_REPLAY_FAILED:
              info->n_failed++;
              break;
            default:
              break;
            }
        }
    }

  return info;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CfRunInfo *ia = *(const CfRunInfo * const *) a;
  const CfRunInfo *ib = *(const CfRunInfo * const *) b;

  if (ia->created != ib->created)
    return ia->created < ib->created ? 1 : -1;
  return g_strcmp0 (ib->run_id, ia->run_id);
}

GPtrArray *
cf_journal_list_runs (const char  *state_dir,
                      GError     **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *default_dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  if (state_dir == NULL)
    state_dir = default_dir = g_build_filename (g_get_user_state_dir (),
                                                "clipfleet", "runs", NULL);

  runs = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_run_info_free);

  dir = g_dir_open (state_dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&runs);
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not read the runs folder “%s”: %s"),
                   state_dir, local_error->message);
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *run_dir = g_build_filename (state_dir, name, NULL);
      CfRunInfo *info;

      if (!g_file_test (run_dir, G_FILE_TEST_IS_DIR))
        continue;
      info = cf_journal_read_info (run_dir, NULL);
      if (info != NULL)
        g_ptr_array_add (runs, info);
    }

  g_ptr_array_sort (runs, compare_newest_first);

  return g_steal_pointer (&runs);
}
