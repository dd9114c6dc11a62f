/* cf-keyring-secret-store.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "cf-error.h"
#include "cf-keyring-secret-store.h"

#define SECRETS_BUS_NAME "org.freedesktop.secrets"

/*
 * One item per account, found by its id. The secret is the JSON array of
 * the account's tokens (or of its one API key) as text, so that a single
 * item holds everything and replacing it is one atomic call.
 */
static const SecretSchema account_schema = {
  "io.github.clipfleet.Clipfleet.Account", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

struct _CfKeyringSecretStore
{
  GObject        parent_instance;

  /*
   * Calls may come from the account store's threads; one at a time keeps
   * the lazily made connection below and the item updates consistent.
   */
  GMutex         lock;

  /* Our own connection to the service, not libsecret's process-wide one. */
  SecretService *service;
};

static void secret_store_iface_init (CfSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfKeyringSecretStore, cf_keyring_secret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CF_TYPE_SECRET_STORE,
                                                      secret_store_iface_init))

static void
set_no_secret_service (GError     **error,
                       const GError *cause)
{
  /* The underlying reason helps a developer; the user gets what to do. */
  if (cause != NULL)
    g_debug ("Secret Service unreachable: %s", cause->message);

  g_set_error_literal (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE,
                       _("No secret store is running. Start GNOME Keyring, or use "
                         "clipfleet-cli --secrets-file to keep tokens in a file readable "
                         "only by you."));
}

/* The D-Bus failures that mean "nobody serves org.freedesktop.secrets". */
static gboolean
is_service_gone (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/*
 * Turns a libsecret failure into ours. Cancellation stays what it is;
 * nothing of the secret itself can be in these messages.
 */
static void
propagate_keyring_error (CfKeyringSecretStore  *self,
                         GError               **error,
                         GError                *cause,
                         const char            *what)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }

  /*
   * Reconnect next time: the service may have been started, or restarted,
   * which leaves our session with it (and so every later call) invalid.
   */
  g_clear_object (&self->service);

  if (is_service_gone (cause))
    {
      set_no_secret_service (error, cause);
      g_error_free (cause);
      return;
    }

  if (g_dbus_error_is_remote_error (cause))
    g_dbus_error_strip_remote_error (cause);

  g_set_error (error, CF_ERROR, CF_ERROR_FAILED, "%s: %s", what, cause->message);
  g_error_free (cause);
}

/*
 * libsecret itself would only fail at the first real call, with a D-Bus
 * message meant for developers. Asking the bus to start the service starts
 * it or says it runs already; a daemon started by hand (no .service file)
 * has an owner but makes the bus answer "unknown", hence the second question.
 */
static gboolean
service_is_reachable (GDBusConnection  *bus,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) start_error = NULL;
  g_autoptr(GError) owner_error = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus,
                                       "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus",
                                       "StartServiceByName",
                                       g_variant_new ("(su)", SECRETS_BUS_NAME, 0),
                                       G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE,
                                       -1,
                                       cancellable,
                                       &start_error);
  if (reply != NULL)
    return TRUE;

  if (g_error_matches (start_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&start_error));
      return FALSE;
    }

  reply = g_dbus_connection_call_sync (bus,
                                       "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus",
                                       "NameHasOwner",
                                       g_variant_new ("(s)", SECRETS_BUS_NAME),
                                       G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE,
                                       -1,
                                       cancellable,
                                       &owner_error);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  else if (g_error_matches (owner_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&owner_error));
      return FALSE;
    }

  if (!has_owner)
    {
      set_no_secret_service (error, start_error);
      return FALSE;
    }

  return TRUE;
}

static SecretService *
ensure_service (CfKeyringSecretStore  *self,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  GError *local_error = NULL;

  if (self->service != NULL)
    return self->service;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &local_error);
  if (bus == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local_error);
      else
        {
          set_no_secret_service (error, local_error);
          g_error_free (local_error);
        }
      return NULL;
    }

  if (!service_is_reachable (bus, cancellable, error))
    return NULL;

  self->service = secret_service_open_sync (SECRET_TYPE_SERVICE,
                                            SECRETS_BUS_NAME,
                                            SECRET_SERVICE_OPEN_SESSION,
                                            cancellable,
                                            &local_error);
  if (self->service == NULL)
    {
      propagate_keyring_error (self, error, local_error,
                               _("Could not connect to the secret store"));
      return NULL;
    }

  return self->service;
}

static GHashTable *
make_attributes (const char *account_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "account-id", (gpointer) account_id);

  return attributes;
}

static gboolean
cf_keyring_secret_store_store (CfSecretStore       *store,
                               const char          *account_id,
                               const char          *account_name,
                               const char * const  *secrets,
                               GCancellable        *cancellable,
                               GError             **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&CF_KEYRING_SECRET_STORE (store)->lock);
  CfKeyringSecretStore *self = CF_KEYRING_SECRET_STORE (store);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *label = NULL;
  g_autofree char *old_label = NULL;
  g_autolist(SecretItem) items = NULL;
  GError *local_error = NULL;
  SecretService *service;
  char *text;
  gsize len;

  if (!(service = ensure_service (self, cancellable, error)))
    return FALSE;

  json_builder_begin_array (builder);
  for (guint i = 0; secrets[i] != NULL; i++)
    json_builder_add_string_value (builder, secrets[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* libsecret copies the text into non-pageable memory; wipe ours at once. */
  value = secret_value_new (text, len, "text/plain");
  explicit_bzero (text, len);
  g_free (text);

  /* Translators: the label of a keyring item, as Seahorse shows it. */
  label = g_strdup_printf (_("Clipfleet account %s"), account_name);
  attributes = make_attributes (account_id);

  /*
   * An existing item is updated in place. Creating it again with "replace"
   * makes gnome-keyring (42, Debian 12) register the new item under the old
   * one's object path and crash; updating also keeps the item's ACLs.
   */
  items = secret_service_search_sync (service, &account_schema, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                      cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_keyring_error (self, error, local_error,
                               _("Could not save the account’s tokens in the keyring"));
      return FALSE;
    }

  if (items == NULL)
    {
      if (!secret_service_store_sync (service, &account_schema, attributes,
                                      SECRET_COLLECTION_DEFAULT, label, value,
                                      cancellable, &local_error))
        {
          propagate_keyring_error (self, error, local_error,
                                   _("Could not save the account’s tokens in the keyring"));
          return FALSE;
        }

      return TRUE;
    }

  old_label = secret_item_get_label (items->data);
  if (!secret_item_set_secret_sync (items->data, value, cancellable, &local_error) ||
      (g_strcmp0 (old_label, label) != 0 &&
       !secret_item_set_label_sync (items->data, label, cancellable, &local_error)))
    {
      propagate_keyring_error (self, error, local_error,
                               _("Could not save the account’s tokens in the keyring"));
      return FALSE;
    }

  /* Older duplicates would be found instead of this one at random. */
  for (GList *l = items->next; l != NULL; l = l->next)
    {
      if (!secret_item_delete_sync (l->data, cancellable, &local_error))
        {
          propagate_keyring_error (self, error, local_error,
                                   _("Could not save the account’s tokens in the keyring"));
          return FALSE;
        }
    }

  return TRUE;
}

static char **
parse_secret (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

static char **
cf_keyring_secret_store_lookup (CfSecretStore  *store,
                                const char     *account_id,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&CF_KEYRING_SECRET_STORE (store)->lock);
  CfKeyringSecretStore *self = CF_KEYRING_SECRET_STORE (store);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  GError *local_error = NULL;
  SecretService *service;
  const char *text;
  char **secrets;

  if (!(service = ensure_service (self, cancellable, error)))
    return NULL;

  attributes = make_attributes (account_id);
  value = secret_service_lookup_sync (service, &account_schema, attributes,
                                      cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_keyring_error (self, error, local_error,
                               _("Could not read the account’s tokens from the keyring"));
      return NULL;
    }

  if (value == NULL)
    return g_new0 (char *, 1);

  text = secret_value_get_text (value);
  if (text == NULL || !(secrets = parse_secret (text)))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The keyring item of account %s is damaged; enter its tokens again"),
                   account_id);
      return NULL;
    }

  return secrets;
}

static gboolean
cf_keyring_secret_store_clear (CfSecretStore  *store,
                               const char     *account_id,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&CF_KEYRING_SECRET_STORE (store)->lock);
  CfKeyringSecretStore *self = CF_KEYRING_SECRET_STORE (store);
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  SecretService *service;

  if (!(service = ensure_service (self, cancellable, error)))
    return FALSE;

  attributes = make_attributes (account_id);

  /* FALSE without an error only means there was nothing to delete. */
  if (!secret_service_clear_sync (service, &account_schema, attributes,
                                  cancellable, &local_error) &&
      local_error != NULL)
    {
      propagate_keyring_error (self, error, local_error,
                               _("Could not delete the account’s tokens from the keyring"));
      return FALSE;
    }

  return TRUE;
}

static void
secret_store_iface_init (CfSecretStoreInterface *iface)
{
  iface->store = cf_keyring_secret_store_store;
  iface->lookup = cf_keyring_secret_store_lookup;
  iface->clear = cf_keyring_secret_store_clear;
}

static void
cf_keyring_secret_store_dispose (GObject *object)
{
  CfKeyringSecretStore *self = (CfKeyringSecretStore *)object;

  g_clear_object (&self->service);

  G_OBJECT_CLASS (cf_keyring_secret_store_parent_class)->dispose (object);
}

static void
cf_keyring_secret_store_finalize (GObject *object)
{
  CfKeyringSecretStore *self = (CfKeyringSecretStore *)object;

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cf_keyring_secret_store_parent_class)->finalize (object);
}

static void
cf_keyring_secret_store_class_init (CfKeyringSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_keyring_secret_store_dispose;
  object_class->finalize = cf_keyring_secret_store_finalize;
}

static void
cf_keyring_secret_store_init (CfKeyringSecretStore *self)
{
  g_mutex_init (&self->lock);
}

CfSecretStore *
cf_keyring_secret_store_new (void)
{
  return g_object_new (CF_TYPE_KEYRING_SECRET_STORE, NULL);
}

gboolean
cf_keyring_secret_store_check (CfKeyringSecretStore  *self,
                               GCancellable          *cancellable,
                               GError               **error)
{
  g_return_val_if_fail (CF_IS_KEYRING_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    return ensure_service (self, cancellable, error) != NULL;
  }
}
