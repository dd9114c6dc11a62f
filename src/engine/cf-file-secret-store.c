/* cf-file-secret-store.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-error.h"
#include "cf-file-secret-store.h"

/*
 * The file looks like
 *
 *   {"version": 1, "accounts": {"<account id>": {"name": "…", "secrets": ["…"]}}}
 *
 * It is read and written whole on every call: it holds a handful of
 * accounts, and not caching it means two processes (the app and the
 * command-line tool) never overwrite each other's changes with stale data.
 */

#define FILE_VERSION 1
#define MAX_FILE_SIZE (16 * 1024 * 1024)

struct _CfFileSecretStore
{
  GObject  parent_instance;

  /* Each call reads, changes and writes the file: one call at a time. */
  GMutex   lock;
  char    *path;
};

static void secret_store_iface_init (CfSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfFileSecretStore, cf_file_secret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CF_TYPE_SECRET_STORE,
                                                      secret_store_iface_init))

static void
wipe_free (char  *data,
           gsize  len)
{
  if (data != NULL)
    {
      explicit_bzero (data, len);
      g_free (data);
    }
}

/*
 * Reads the file into a JSON object, or an empty one if the file does not
 * exist. The file is refused when others could read it: secrets that
 * leaked must be replaced, and the user should learn about it rather than
 * have us fix the mode behind their back.
 */
static JsonObject *
read_secrets (CfFileSecretStore  *self,
              GError            **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GString) data = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *accounts;
  struct stat st;
  int fd;

  fd = g_open (self->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return json_object_new ();

      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("Could not open the secrets file “%s”: %s"),
                   self->path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The secrets file “%s” is not a regular file"), self->path);
      return NULL;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0 || st.st_uid != getuid ())
    {
      close (fd);
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The secrets file “%s” can be read or changed by other users, so "
                     "it was not used. Make it yours alone (chmod 600) and replace the "
                     "tokens and keys it holds, since others may have seen them."),
                   self->path);
      return NULL;
    }

  if (st.st_size > MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The secrets file “%s” is too large"), self->path);
      return NULL;
    }

  data = g_string_sized_new (st.st_size + 1);
  for (;;)
    {
      char buf[4096];
      gssize n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          explicit_bzero (buf, sizeof buf);
          explicit_bzero (data->str, data->len);
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("Could not read the secrets file “%s”: %s"),
                       self->path, g_strerror (saved_errno));
          return NULL;
        }

      if (n == 0)
        break;

      g_string_append_len (data, buf, n);
      explicit_bzero (buf, n);

      if (data->len > MAX_FILE_SIZE)
        break;
    }
  close (fd);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data->str, data->len, NULL))
    {
      explicit_bzero (data->str, data->len);
      /* The parser's own message may quote part of a secret; say only where. */
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The secrets file “%s” is damaged (not valid JSON). It was left "
                     "as it is; fix it or move it away."),
                   self->path);
      return NULL;
    }
  explicit_bzero (data->str, data->len);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad_shape;

  object = json_node_get_object (root);
  accounts = json_object_get_member (object, "accounts");
  if (accounts == NULL)
    return json_object_new ();
  if (!JSON_NODE_HOLDS_OBJECT (accounts))
    goto bad_shape;

  return json_object_ref (json_node_get_object (accounts));

bad_shape:
  g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
               _("The secrets file “%s” does not have the expected shape. It was left "
                 "as it is; fix it or move it away."),
               self->path);
  return NULL;
}

static gboolean
write_secrets (CfFileSecretStore  *self,
               JsonObject         *accounts,
               GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  char *data;
  gsize len;
  gboolean ret;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), accounts));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &len);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      wipe_free (data, len);
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* A temporary file created 0600 in the same folder, synced, then renamed over. */
  ret = g_file_set_contents_full (self->path, data, len,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error);
  wipe_free (data, len);

  if (!ret)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not write the secrets file “%s”: %s"),
                   self->path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
cf_file_secret_store_store (CfSecretStore       *store,
                            const char          *account_id,
                            const char          *account_name,
                            const char * const  *secrets,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&CF_FILE_SECRET_STORE (store)->lock);
  CfFileSecretStore *self = CF_FILE_SECRET_STORE (store);
  g_autoptr(JsonObject) accounts = NULL;
  g_autoptr(JsonObject) entry = json_object_new ();
  JsonArray *array;

  if (!(accounts = read_secrets (self, error)))
    return FALSE;

  array = json_array_new ();
  for (guint i = 0; secrets[i] != NULL; i++)
    json_array_add_string_element (array, secrets[i]);

  json_object_set_string_member (entry, "name", account_name);
  json_object_set_array_member (entry, "secrets", array);
  json_object_set_object_member (accounts, account_id, g_steal_pointer (&entry));

  return write_secrets (self, accounts, error);
}

static char **
cf_file_secret_store_lookup (CfSecretStore  *store,
                             const char     *account_id,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&CF_FILE_SECRET_STORE (store)->lock);
  CfFileSecretStore *self = CF_FILE_SECRET_STORE (store);
  g_autoptr(JsonObject) accounts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *entry;
  JsonNode *secrets;
  JsonArray *array;

  if (!(accounts = read_secrets (self, error)))
    return NULL;

  entry = json_object_get_member (accounts, account_id);
  if (entry == NULL)
    return g_new0 (char *, 1);

  if (!JSON_NODE_HOLDS_OBJECT (entry))
    goto bad_entry;

  secrets = json_object_get_member (json_node_get_object (entry), "secrets");
  if (secrets == NULL || !JSON_NODE_HOLDS_ARRAY (secrets))
    goto bad_entry;

  array = json_node_get_array (secrets);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        goto bad_entry;

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);

bad_entry:
  g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
               _("The secrets file “%s” has a damaged entry for account %s"),
               self->path, account_id);
  return NULL;
}

static gboolean
cf_file_secret_store_clear (CfSecretStore  *store,
                            const char     *account_id,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&CF_FILE_SECRET_STORE (store)->lock);
  CfFileSecretStore *self = CF_FILE_SECRET_STORE (store);
  g_autoptr(JsonObject) accounts = NULL;

  if (!(accounts = read_secrets (self, error)))
    return FALSE;

  if (!json_object_has_member (accounts, account_id))
    return TRUE;

  json_object_remove_member (accounts, account_id);

  return write_secrets (self, accounts, error);
}

static void
secret_store_iface_init (CfSecretStoreInterface *iface)
{
  iface->store = cf_file_secret_store_store;
  iface->lookup = cf_file_secret_store_lookup;
  iface->clear = cf_file_secret_store_clear;
}

static void
cf_file_secret_store_finalize (GObject *object)
{
  CfFileSecretStore *self = (CfFileSecretStore *)object;

  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cf_file_secret_store_parent_class)->finalize (object);
}

static void
cf_file_secret_store_class_init (CfFileSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_file_secret_store_finalize;
}

static void
cf_file_secret_store_init (CfFileSecretStore *self)
{
  g_mutex_init (&self->lock);
}

CfSecretStore *
cf_file_secret_store_new (const char *path)
{
  CfFileSecretStore *self = g_object_new (CF_TYPE_FILE_SECRET_STORE, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_config_dir (), "clipfleet", "secrets.json", NULL);

  return CF_SECRET_STORE (self);
}

const char *
cf_file_secret_store_get_path (CfFileSecretStore *self)
{
  g_return_val_if_fail (CF_IS_FILE_SECRET_STORE (self), NULL);

  return self->path;
}
