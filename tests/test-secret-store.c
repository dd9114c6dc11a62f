/* test-secret-store.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cf-error.h"
#include "cf-file-secret-store.h"
#include "cf-keyring-fixture.h"
#include "cf-keyring-secret-store.h"

/* Fake tokens, unique per run so a match in a file cannot be a leftover. */
static char *
make_fake_token (const char *tag)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("ya29.fake-%s-%s", tag, uuid);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len;

  gsize needle_len = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;

  /* Byte by byte: the files may be binary, with NULs before a match. */
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;

  return FALSE;
}

/* Every regular file under @dir whose bytes contain @needle. */
static void
find_files_containing (const char *dir,
                       const char *needle,
                       GPtrArray  *found)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      else if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_files_containing (path, needle, found);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && file_contains (path, needle))
        g_ptr_array_add (found, g_steal_pointer (&path));
    }
}

/* The isolated HOME and XDG folders of this test are siblings under one root. */
static char *
dup_test_root (void)
{
  return g_path_get_dirname (g_get_home_dir ());
}

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_no_errno (g_stat (path, &st));
  return st.st_mode & 0777;
}

static void
test_file_roundtrip (void)
{
  g_autofree char *tok1 = make_fake_token ("a");
  g_autofree char *tok2 = make_fake_token ("b");
  g_autofree char *key = make_fake_token ("key");
  const char *tokens[] = { tok1, tok2, NULL };
  const char *keys[] = { key, NULL };
  g_autoptr(CfSecretStore) store = cf_file_secret_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) got = NULL;
  g_autofree char *expected_path = NULL;
  const char *path;

  path = cf_file_secret_store_get_path (CF_FILE_SECRET_STORE (store));
  expected_path = g_build_filename (g_get_user_config_dir (), "clipfleet", "secrets.json", NULL);
  g_assert_cmpstr (path, ==, expected_path);

  /* Nothing stored yet: an empty array, not an error, and no file made. */
  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpuint (g_strv_length (got), ==, 0);
  g_clear_pointer (&got, g_strfreev);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (cf_secret_store_store (store, "acc-1", "Acc 1", tokens, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cf_secret_store_store (store, "acc-2", "Gem", keys, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (file_mode (path), ==, 0600);

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) got, tokens));
  g_clear_pointer (&got, g_strfreev);

  /* A second store on the same file sees what the first wrote. */
  {
    g_autoptr(CfSecretStore) other = cf_file_secret_store_new (path);

    got = cf_secret_store_lookup (other, "acc-2", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_strv_equal ((const char * const *) got, keys));
    g_clear_pointer (&got, g_strfreev);
  }

  /* Replacing, then clearing, one account leaves the other alone. */
  g_assert_true (cf_secret_store_store (store, "acc-1", "Acc 1", keys, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cf_secret_store_clear (store, "acc-2", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cf_secret_store_clear (store, "acc-2", NULL, &error));
  g_assert_no_error (error);

  got = cf_secret_store_lookup (store, "acc-2", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (got), ==, 0);
  g_clear_pointer (&got, g_strfreev);

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) got, keys));
  g_clear_pointer (&got, g_strfreev);

  g_assert_false (file_contains (path, tok1));
  g_assert_cmpuint (file_mode (path), ==, 0600);

  /* A cancelled call does nothing and says so. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cf_secret_store_store (store, "acc-1", "Acc 1", tokens, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    got = cf_secret_store_lookup (store, "acc-1", cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (got);
    g_clear_error (&error);
  }

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_file_refuses_readable (void)
{
  g_autofree char *tok = make_fake_token ("a");
  const char *tokens[] = { tok, NULL };
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "my-secrets.json", NULL);
  g_autoptr(CfSecretStore) store = cf_file_secret_store_new (path);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) got = NULL;

  g_assert_true (cf_secret_store_store (store, "acc-1", "Acc 1", tokens, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);

  g_assert_no_errno (g_chmod (path, 0644));

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_null (got);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_assert_null (strstr (error->message, tok));
  g_clear_error (&error);

  /* Nor does it write over it, which would hide the leak. */
  g_assert_false (cf_secret_store_store (store, "acc-2", "Acc 2", tokens, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (file_mode (path), ==, 0644);

  g_assert_no_errno (g_chmod (path, 0640));
  g_assert_false (cf_secret_store_clear (store, "acc-1", NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);

  g_assert_no_errno (g_chmod (path, 0600));
  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) got, tokens));
}

static void
test_file_damaged (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "secrets.json", NULL);
  g_autoptr(CfSecretStore) store = cf_file_secret_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *damaged = "{\"version\": 1, \"accounts\": {\"acc-1\": [\"ya29.fake-half";
  const char *tokens[] = { "ya29.fake-new", NULL };
  const char *wrong_shapes[] = {
    "[1, 2]",
    "{\"accounts\": []}",
    "{\"accounts\": {\"acc-1\": {\"secrets\": [1]}}}",
    "{\"accounts\": {\"acc-1\": \"ya29.fake\"}}",
  };
  g_auto(GStrv) got = NULL;

  g_assert_no_errno (g_mkdir_with_parents (g_get_user_config_dir (), 0700));
  g_assert_true (g_file_set_contents_full (path, damaged, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           &error));
  g_assert_no_error (error);

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strstr (error->message, "ya29"));
  g_clear_error (&error);

  g_assert_false (cf_secret_store_store (store, "acc-1", "Acc 1", tokens, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, damaged);

  for (guint i = 0; i < G_N_ELEMENTS (wrong_shapes); i++)
    {
      g_assert_true (g_file_set_contents_full (path, wrong_shapes[i], -1,
                                               G_FILE_SET_CONTENTS_NONE, 0600, &error));
      g_assert_no_error (error);
      got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_null (got);
      g_clear_error (&error);
    }
}

/*
 * The items as any Secret Service client (Seahorse) sees them: under our
 * schema, one per account, with a readable label.
 */
static void
assert_one_item (const char *account_id,
                 const char *label)
{
  static const SecretSchema schema = {
    "io.github.clipfleet.Clipfleet.Account", SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autolist(SecretItem) items = NULL;
  g_autoptr(GError) error = NULL;

  /* A service of our own: libsecret's shared one would outlive the test's bus. */
  service = secret_service_open_sync (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_NONE,
                                      NULL, &error);
  g_assert_no_error (error);

  g_hash_table_insert (attributes, (gpointer) "account-id", (gpointer) account_id);
  items = secret_service_search_sync (service, &schema, attributes, SECRET_SEARCH_ALL,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *got = secret_item_get_label (items->data);

    g_assert_cmpstr (got, ==, label);
  }
}

static void
test_keyring_roundtrip (void)
{
  g_autoptr(CfKeyringFixture) fixture = NULL;
  g_autoptr(CfSecretStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tok1 = make_fake_token ("a");
  g_autofree char *tok2 = make_fake_token ("b");
  g_autofree char *tok3 = make_fake_token ("c");
  g_autofree char *root = dup_test_root ();
  g_autofree char *keyring_file = NULL;
  const char *tokens[] = { tok1, tok2, NULL };
  const char *replaced[] = { tok3, NULL };
  g_auto(GStrv) got = NULL;

  fixture = cf_keyring_fixture_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture);

  store = cf_keyring_secret_store_new ();
  g_assert_true (cf_keyring_secret_store_check (CF_KEYRING_SECRET_STORE (store), NULL, &error));
  g_assert_no_error (error);

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (got), ==, 0);
  g_clear_pointer (&got, g_strfreev);

  g_assert_true (cf_secret_store_store (store, "acc-1", "Acc 1", tokens, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cf_secret_store_store (store, "acc-2", "Acc 2", replaced, NULL, &error));
  g_assert_no_error (error);

  /* Read back over a new connection: it is in the service, not in our memory. */
  g_assert_finalize_object (g_steal_pointer (&store));
  store = cf_keyring_secret_store_new ();

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) got, tokens));
  g_clear_pointer (&got, g_strfreev);

  /* Storing again replaces the one item rather than adding a second. */
  g_assert_true (cf_secret_store_store (store, "acc-1", "Acc One", replaced, NULL, &error));
  g_assert_no_error (error);
  assert_one_item ("acc-1", "Clipfleet account Acc One");
  assert_one_item ("acc-2", "Clipfleet account Acc 2");
  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) got, replaced));
  g_clear_pointer (&got, g_strfreev);

  /*
   * The keyring wrote its (encrypted) file; no file under the test's HOME
   * and XDG folders holds a token in clear, that file included.
   */
  keyring_file = g_build_filename (g_get_user_data_dir (), "keyrings", "login.keyring", NULL);
  g_assert_true (g_file_test (keyring_file, G_FILE_TEST_IS_REGULAR));
  find_files_containing (root, tok1, found);
  find_files_containing (root, tok3, found);
  g_assert_cmpuint (found->len, ==, 0);

  /* Clearing removes it; clearing what is gone is not an error. */
  g_assert_true (cf_secret_store_clear (store, "acc-1", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cf_secret_store_clear (store, "acc-1", NULL, &error));
  g_assert_no_error (error);
  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (got), ==, 0);
  g_clear_pointer (&got, g_strfreev);

  got = cf_secret_store_lookup (store, "acc-2", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) got, replaced));
  g_clear_pointer (&got, g_strfreev);

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
assert_no_secret_service (CfSecretStore *store)
{
  const char *tokens[] = { "ya29.fake-never-stored", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) got = NULL;

  g_assert_false (cf_keyring_secret_store_check (CF_KEYRING_SECRET_STORE (store), NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_assert_nonnull (strstr (error->message, "--secrets-file"));
  g_clear_error (&error);

  got = cf_secret_store_lookup (store, "acc-1", NULL, &error);
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_assert_null (got);
  g_clear_error (&error);

  g_assert_false (cf_secret_store_store (store, "acc-1", "Acc 1", tokens, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_assert_null (strstr (error->message, "ya29"));
  g_clear_error (&error);

  g_assert_false (cf_secret_store_clear (store, "acc-1", NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);
}

static void
test_keyring_empty_bus (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(CfSecretStore) store = NULL;

  /* A session bus on which nothing provides org.freedesktop.secrets. */
  g_test_dbus_up (bus);

  store = cf_keyring_secret_store_new ();
  assert_no_secret_service (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_test_dbus_down (bus);
}

static void
test_keyring_no_bus (void)
{
  g_autofree char *socket = g_build_filename (g_get_user_runtime_dir (), "no-such-bus", NULL);
  g_autofree char *address = g_strdup_printf ("unix:path=%s", socket);
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr(CfSecretStore) store = NULL;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  store = cf_keyring_secret_store_new ();
  assert_no_secret_service (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/secret-store/file/roundtrip", test_file_roundtrip);
  g_test_add_func ("/secret-store/file/refuses-readable", test_file_refuses_readable);
  g_test_add_func ("/secret-store/file/damaged", test_file_damaged);
  g_test_add_func ("/secret-store/keyring/no-bus", test_keyring_no_bus);
  g_test_add_func ("/secret-store/keyring/empty-bus", test_keyring_empty_bus);
  g_test_add_func ("/secret-store/keyring/roundtrip", test_keyring_roundtrip);

  return g_test_run ();
}
