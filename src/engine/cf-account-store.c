/* cf-account-store.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-account-private.h"
#include "cf-account-store.h"
#include "cf-error.h"

#define ACCOUNTS_FILE_NAME "accounts.json"
#define ACCOUNTS_FILE_VERSION 1

struct _CfAccountStore
{
  GObject        parent_instance;

  char          *config_dir;
  CfSecretStore *secrets;
  GPtrArray     *accounts;

  /*
   * Account id → the secrets serial of the account when its secrets were
   * last read from or written to the secret store. Saving writes only the
   * secrets whose serial moved, so a save never touches secrets it did not
   * manage to read (say, when the keyring was locked at load).
   */
  GHashTable    *saved_serials;

  /* accounts.json could not be read: saving would destroy what it holds. */
  guint          file_unreadable : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfAccountStore, cf_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CONFIG_DIR,
  PROP_SECRET_STORE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
cf_account_store_get_item_type (GListModel *model)
{
  return CF_TYPE_ACCOUNT;
}

static guint
cf_account_store_get_n_items (GListModel *model)
{
  return CF_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
cf_account_store_get_item (GListModel *model,
                           guint       position)
{
  CfAccountStore *self = CF_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cf_account_store_get_item_type;
  iface->get_n_items = cf_account_store_get_n_items;
  iface->get_item = cf_account_store_get_item;
}

static void
items_changed (CfAccountStore *self,
               guint           position,
               guint           removed,
               guint           added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);

  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
remember_saved (CfAccountStore *self,
                CfAccount      *account)
{
  guint64 *serial = g_new (guint64, 1);

  *serial = _cf_account_get_secrets_serial (account);
  g_hash_table_insert (self->saved_serials, g_strdup (cf_account_get_id (account)), serial);
}

static void
cf_account_store_dispose (GObject *object)
{
  CfAccountStore *self = (CfAccountStore *)object;

  g_clear_object (&self->secrets);
  if (self->accounts != NULL)
    g_ptr_array_set_size (self->accounts, 0);

  G_OBJECT_CLASS (cf_account_store_parent_class)->dispose (object);
}

static void
cf_account_store_finalize (GObject *object)
{
  CfAccountStore *self = (CfAccountStore *)object;

  g_clear_pointer (&self->config_dir, g_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->saved_serials, g_hash_table_unref);

  G_OBJECT_CLASS (cf_account_store_parent_class)->finalize (object);
}

static void
cf_account_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CfAccountStore *self = CF_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_CONFIG_DIR:
      g_value_set_string (value, self->config_dir);
      break;

    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secrets);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->accounts->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CfAccountStore *self = CF_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_CONFIG_DIR:
      self->config_dir = g_value_dup_string (value);
      if (self->config_dir == NULL)
        self->config_dir = g_build_filename (g_get_user_config_dir (), "clipfleet", NULL);
      break;

    case PROP_SECRET_STORE:
      self->secrets = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_store_class_init (CfAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_account_store_dispose;
  object_class->finalize = cf_account_store_finalize;
  object_class->get_property = cf_account_store_get_property;
  object_class->set_property = cf_account_store_set_property;

  properties[PROP_CONFIG_DIR] =
    g_param_spec_string ("config-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL, CF_TYPE_SECRET_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_account_store_init (CfAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->saved_serials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

CfAccountStore *
cf_account_store_new (const char    *config_dir,
                      CfSecretStore *secrets)
{
  g_return_val_if_fail (CF_IS_SECRET_STORE (secrets), NULL);

  return g_object_new (CF_TYPE_ACCOUNT_STORE,
                       "config-dir", config_dir,
                       "secret-store", secrets,
                       NULL);
}

CfSecretStore *
cf_account_store_get_secret_store (CfAccountStore *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), NULL);

  return self->secrets;
}

const char *
cf_account_store_get_config_dir (CfAccountStore *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), NULL);

  return self->config_dir;
}

char *
cf_account_store_dup_accounts_path (CfAccountStore *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), NULL);

  return g_build_filename (self->config_dir, ACCOUNTS_FILE_NAME, NULL);
}

static void
set_unreadable_error (GError     **error,
                      const char  *path,
                      const char  *why)
{
  g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
               _("The accounts file “%s” could not be read: %s. It was left as it is; "
                 "fix it or move it away, then try again."),
               path, why);
}

/* Parses accounts.json into a new array of accounts, without their secrets. */
static GPtrArray *
parse_accounts (const char  *path,
                const char  *data,
                gsize        len,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *root;
  JsonNode *member;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      set_unreadable_error (error, path, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_unreadable_error (error, path, _("it is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);

  member = json_object_get_member (object, "version");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64)
        {
          set_unreadable_error (error, path, _("“version” is not a number"));
          return NULL;
        }

      if (json_node_get_int (member) > ACCOUNTS_FILE_VERSION)
        {
          set_unreadable_error (error, path,
                                _("it was written by a newer version of Clipfleet"));
          return NULL;
        }
    }

  member = json_object_get_member (object, "accounts");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return g_steal_pointer (&accounts);

  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      set_unreadable_error (error, path, _("“accounts” is not a list"));
      return NULL;
    }

  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(CfAccount) account = NULL;

      account = cf_account_new_from_json (json_array_get_element (array, i), &local_error);
      if (account == NULL)
        {
          g_autofree char *why = NULL;

          /* Translators: %u is the position of an account in the file, from 1. */
          why = g_strdup_printf (_("account %u: %s"), i + 1, local_error->message);
          set_unreadable_error (error, path, why);
          return NULL;
        }

      if (!g_hash_table_add (ids, (gpointer) cf_account_get_id (account)))
        {
          g_autofree char *why = NULL;

          why = g_strdup_printf (_("account %u has the same id as another one"), i + 1);
          set_unreadable_error (error, path, why);
          return NULL;
        }

      g_ptr_array_add (accounts, g_steal_pointer (&account));
    }

  return g_steal_pointer (&accounts);
}

/*
 * Loading and saving are split into a part that touches only files and the
 * secret store, which may run in a thread (the keyring may sit behind an
 * unlock prompt), and a part that updates the store on the main thread.
 */

typedef struct
{
  GPtrArray *accounts;       /* NULL when file_error is set */
  GError    *file_error;
  GError    *secrets_error;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->accounts, g_ptr_array_unref);
  g_clear_error (&result->file_error);
  g_clear_error (&result->secrets_error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, load_result_free)

static gboolean
load_secrets (CfSecretStore  *store,
              CfAccount      *account,
              GCancellable   *cancellable,
              GError        **error)
{
  g_auto(GStrv) secrets = NULL;

  secrets = cf_secret_store_lookup (store, cf_account_get_id (account), cancellable, error);
  if (secrets == NULL)
    return FALSE;

  if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI)
    cf_account_set_api_key (account, secrets[0]);
  else
    cf_account_set_tokens (account, (const char * const *) secrets);

  return TRUE;
}

/* The accounts it makes are not seen by anyone else until it returns. */
static LoadResult *
read_accounts_and_secrets (const char    *path,
                           CfSecretStore *store,
                           GCancellable  *cancellable)
{
  LoadResult *result = g_new0 (LoadResult, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (g_file_get_contents (path, &data, &len, &local_error))
    result->accounts = parse_accounts (path, data, len, &result->file_error);
  else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    result->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  else
    set_unreadable_error (&result->file_error, path, local_error->message);

  if (result->accounts == NULL)
    return result;

  /*
   * Secrets are read before the accounts are shown, so that no one sees an
   * account without its tokens for a moment. The first failure (no secret
   * service, a locked keyring) stops the lookups: the next would fail the
   * same way. The accounts are still shown, without secrets.
   */
  for (guint i = 0; i < result->accounts->len && result->secrets_error == NULL; i++)
    load_secrets (store, g_ptr_array_index (result->accounts, i), cancellable,
                  &result->secrets_error);

  return result;
}

static gboolean
apply_load_result (CfAccountStore  *self,
                   LoadResult      *result,
                   GError         **error)
{
  guint old_len;

  if (result->file_error != NULL)
    {
      self->file_unreadable = TRUE;
      g_propagate_error (error, g_steal_pointer (&result->file_error));
      return FALSE;
    }

  self->file_unreadable = FALSE;

  g_hash_table_remove_all (self->saved_serials);
  for (guint i = 0; i < result->accounts->len; i++)
    remember_saved (self, g_ptr_array_index (result->accounts, i));

  old_len = self->accounts->len;
  g_ptr_array_unref (self->accounts);
  self->accounts = g_steal_pointer (&result->accounts);
  if (old_len > 0 || self->accounts->len > 0)
    items_changed (self, 0, old_len, self->accounts->len);

  if (result->secrets_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&result->secrets_error));
      return FALSE;
    }

  return TRUE;
}

gboolean
cf_account_store_load (CfAccountStore  *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(LoadResult) result = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = cf_account_store_dup_accounts_path (self);
  result = read_accounts_and_secrets (path, self->secrets, cancellable);

  return apply_load_result (self, result, error);
}

typedef struct
{
  char          *path;
  CfSecretStore *secrets;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  g_clear_object (&job->secrets);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;

  g_task_return_pointer (task,
                         read_accounts_and_secrets (job->path, job->secrets, cancellable),
                         (GDestroyNotify) load_result_free);
}

void
cf_account_store_load_async (CfAccountStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job;

  g_return_if_fail (CF_IS_ACCOUNT_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (LoadJob, 1);
  job->path = cf_account_store_dup_accounts_path (self);
  job->secrets = g_object_ref (self->secrets);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_account_store_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
cf_account_store_load_finish (CfAccountStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_autoptr(LoadResult) loaded = NULL;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(loaded = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;

  return apply_load_result (self, loaded, error);
}

/* One account's secrets to write (or, with secrets NULL, to delete). */
typedef struct
{
  char     *id;
  char     *name;
  char    **secrets;
  guint64   serial;
  gboolean  done;
} SecretJob;

static void
secret_job_free (SecretJob *job)
{
  g_free (job->id);
  g_free (job->name);
  if (job->secrets != NULL)
    {
      for (guint i = 0; job->secrets[i] != NULL; i++)
        explicit_bzero (job->secrets[i], strlen (job->secrets[i]));
      g_strfreev (job->secrets);
    }
  g_free (job);
}

/* Everything a save needs, copied on the main thread. */
typedef struct
{
  char          *config_dir;
  char          *path;
  char          *data;
  gsize          len;
  CfSecretStore *secrets;
  GPtrArray     *jobs;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->config_dir);
  g_free (job->path);
  g_free (job->data);
  g_clear_object (&job->secrets);
  g_clear_pointer (&job->jobs, g_ptr_array_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveJob, save_job_free)

static char *
build_accounts_json (CfAccountStore *self,
                     gsize          *len)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ACCOUNTS_FILE_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->accounts->len; i++)
    json_builder_add_value (builder, cf_account_to_json (g_ptr_array_index (self->accounts, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, len);
}

static SaveJob *
prepare_save (CfAccountStore  *self,
              GError         **error)
{
  g_autoptr(SaveJob) job = g_new0 (SaveJob, 1);

  job->config_dir = g_strdup (self->config_dir);
  job->path = cf_account_store_dup_accounts_path (self);

  if (self->file_unreadable)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The accounts file “%s” could not be read, so it was not overwritten. "
                     "Fix it or move it away, then try again."),
                   job->path);
      return NULL;
    }

  job->data = build_accounts_json (self, &job->len);
  job->secrets = g_object_ref (self->secrets);
  job->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_job_free);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, i);
      const char *id = cf_account_get_id (account);
      const guint64 *saved = g_hash_table_lookup (self->saved_serials, id);
      guint64 serial = _cf_account_get_secrets_serial (account);
      SecretJob *secret_job;

      if (saved != NULL && *saved == serial)
        continue;

      secret_job = g_new0 (SecretJob, 1);
      secret_job->id = g_strdup (id);
      secret_job->name = g_strdup (cf_account_get_name (account));
      secret_job->serial = serial;

      if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI)
        {
          if (cf_account_get_api_key (account) != NULL)
            {
              secret_job->secrets = g_new0 (char *, 2);
              secret_job->secrets[0] = g_strdup (cf_account_get_api_key (account));
            }
        }
      else if (cf_account_get_n_tokens (account) > 0)
        secret_job->secrets = g_strdupv ((char **) cf_account_get_tokens (account));

      /* Nothing stored before and nothing to store now: no call at all. */
      if (secret_job->secrets == NULL && saved == NULL)
        secret_job->done = TRUE;

      g_ptr_array_add (job->jobs, secret_job);
    }

  return g_steal_pointer (&job);
}

static gboolean
run_save (SaveJob       *job,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  /*
   * Secrets first: if the secret store fails, accounts.json still describes
   * the accounts whose secrets are where it says, and nothing is lost.
   */
  for (guint i = 0; i < job->jobs->len; i++)
    {
      SecretJob *secret_job = g_ptr_array_index (job->jobs, i);
      gboolean ok;

      if (secret_job->done)
        continue;

      if (secret_job->secrets == NULL)
        ok = cf_secret_store_clear (job->secrets, secret_job->id, cancellable, error);
      else
        ok = cf_secret_store_store (job->secrets, secret_job->id, secret_job->name,
                                    (const char * const *) secret_job->secrets,
                                    cancellable, error);
      if (!ok)
        return FALSE;

      secret_job->done = TRUE;
    }

  if (g_mkdir_with_parents (job->config_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not create the folder “%s”: %s"),
                   job->config_dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* A temporary file created 0600 in the same folder, synced, then renamed over. */
  if (!g_file_set_contents_full (job->path, job->data, job->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not save the accounts file “%s”: %s"),
                   job->path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/*
 * Records what reached the secret store, even when a later step failed.
 * The serials are those of when the save began: an account changed since
 * has another one and is written again next time.
 */
static void
finish_save (CfAccountStore *self,
             SaveJob        *job)
{
  for (guint i = 0; i < job->jobs->len; i++)
    {
      SecretJob *secret_job = g_ptr_array_index (job->jobs, i);
      guint64 *serial;

      if (!secret_job->done)
        continue;

      serial = g_new (guint64, 1);
      *serial = secret_job->serial;
      g_hash_table_insert (self->saved_serials, g_strdup (secret_job->id), serial);
    }
}

gboolean
cf_account_store_save (CfAccountStore  *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(SaveJob) job = NULL;
  gboolean ret;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(job = prepare_save (self, error)))
    return FALSE;

  ret = run_save (job, cancellable, error);
  finish_save (self, job);

  return ret;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_save (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cf_account_store_save_async (CfAccountStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SaveJob *job;

  g_return_if_fail (CF_IS_ACCOUNT_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_account_store_save_async);
  /* What reached the secret store is recorded even if the caller cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  if (!(job = prepare_save (self, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
cf_account_store_save_finish (CfAccountStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  SaveJob *job;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (job != NULL)
    finish_save (self, job);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
find_position (CfAccountStore *self,
               CfAccount      *account,
               guint          *position)
{
  return g_ptr_array_find (self->accounts, account, position);
}

void
cf_account_store_add (CfAccountStore *self,
                      CfAccount      *account)
{
  g_return_if_fail (CF_IS_ACCOUNT_STORE (self));
  g_return_if_fail (CF_IS_ACCOUNT (account));
  g_return_if_fail (!find_position (self, account, NULL));

  for (guint i = 0; i < self->accounts->len; i++)
    g_return_if_fail (g_strcmp0 (cf_account_get_id (g_ptr_array_index (self->accounts, i)),
                                 cf_account_get_id (account)) != 0);

  g_ptr_array_add (self->accounts, g_object_ref (account));
  items_changed (self, self->accounts->len - 1, 0, 1);
}

gboolean
cf_account_store_remove (CfAccountStore  *self,
                         CfAccount       *account,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autoptr(CfAccount) hold = NULL;
  guint position;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (CF_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find_position (self, account, &position))
    return TRUE;

  /* The secrets go first: an account that stays listed can be removed again. */
  if (!cf_secret_store_clear (self->secrets, cf_account_get_id (account), cancellable, error))
    return FALSE;

  hold = g_object_ref (account);
  g_hash_table_remove (self->saved_serials, cf_account_get_id (account));
  g_ptr_array_remove_index (self->accounts, position);
  items_changed (self, position, 1, 0);

  return TRUE;
}

CfAccount *
cf_account_store_find (CfAccountStore *self,
                       const char     *id_or_name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), NULL);

  if (id_or_name == NULL)
    return NULL;

  for (guint i = 0; i < self->accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (cf_account_get_id (account), id_or_name) == 0)
        return account;
    }

  folded = g_utf8_casefold (id_or_name, -1);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, i);
      const char *name = cf_account_get_name (account);
      g_autofree char *folded_name = NULL;

      if (name == NULL)
        continue;

      folded_name = g_utf8_casefold (name, -1);
      if (g_str_equal (folded, folded_name))
        return account;
    }

  return NULL;
}

GPtrArray *
cf_account_store_dup_enabled (CfAccountStore *self)
{
  GPtrArray *enabled;

  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (self), NULL);

  enabled = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, i);

      if (cf_account_get_enabled (account))
        g_ptr_array_add (enabled, g_object_ref (account));
    }

  return enabled;
}
