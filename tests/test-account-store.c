/* test-account-store.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cf-account-store.h"
#include "cf-error.h"
#include "cf-file-secret-store.h"
#include "cf-keyring-fixture.h"
#include "cf-keyring-secret-store.h"

/* A secret store in memory that counts calls and can be told to fail. */
#define TEST_TYPE_SECRET_STORE (test_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (TestSecretStore, test_secret_store, TEST, SECRET_STORE, GObject)

struct _TestSecretStore
{
  GObject     parent_instance;
  GHashTable *secrets;
  guint       n_store;
  guint       n_lookup;
  guint       n_clear;
  gboolean    fail;
};

static void test_secret_store_iface_init (CfSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSecretStore, test_secret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CF_TYPE_SECRET_STORE,
                                                      test_secret_store_iface_init))

static gboolean
test_fail (TestSecretStore  *self,
           GError          **error)
{
  if (self->fail)
    g_set_error_literal (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE, "no secret service");
  return self->fail;
}

static gboolean
test_store (CfSecretStore       *store,
            const char          *account_id,
            const char          *account_name,
            const char * const  *secrets,
            GCancellable        *cancellable,
            GError             **error)
{
  TestSecretStore *self = TEST_SECRET_STORE (store);

  self->n_store++;
  if (test_fail (self, error))
    return FALSE;
  g_hash_table_insert (self->secrets, g_strdup (account_id), g_strdupv ((char **) secrets));
  return TRUE;
}

static char **
test_lookup (CfSecretStore  *store,
             const char     *account_id,
             GCancellable   *cancellable,
             GError        **error)
{
  TestSecretStore *self = TEST_SECRET_STORE (store);
  char **secrets;

  self->n_lookup++;
  if (test_fail (self, error))
    return NULL;
  secrets = g_hash_table_lookup (self->secrets, account_id);
  return secrets != NULL ? g_strdupv (secrets) : g_new0 (char *, 1);
}

static gboolean
test_clear (CfSecretStore  *store,
            const char     *account_id,
            GCancellable   *cancellable,
            GError        **error)
{
  TestSecretStore *self = TEST_SECRET_STORE (store);

  self->n_clear++;
  if (test_fail (self, error))
    return FALSE;
  g_hash_table_remove (self->secrets, account_id);
  return TRUE;
}

static void
test_secret_store_iface_init (CfSecretStoreInterface *iface)
{
  iface->store = test_store;
  iface->lookup = test_lookup;
  iface->clear = test_clear;
}

static void
test_secret_store_finalize (GObject *object)
{
  g_hash_table_unref (TEST_SECRET_STORE (object)->secrets);
  G_OBJECT_CLASS (test_secret_store_parent_class)->finalize (object);
}

static void
test_secret_store_class_init (TestSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_secret_store_finalize;
}

static void
test_secret_store_init (TestSecretStore *self)
{
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_strfreev);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
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

  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;

  return FALSE;
}

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

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_no_errno (g_stat (path, &st));
  return st.st_mode & 0777;
}

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/*
 * A GTask drops its reference to the store in the worker thread, possibly
 * just after its callback ran here: wait for that before checking the
 * store is gone.
 */
static void
assert_finalize_after_tasks (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);

  while (g_atomic_pointer_get (&weak) != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_missing_file (void)
{
  g_autoptr(CfSecretStore) secrets = g_object_new (TEST_TYPE_SECRET_STORE, NULL);
  g_autoptr(CfAccountStore) store = cf_account_store_new (NULL, secrets);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_dir = g_build_filename (g_get_user_config_dir (), "clipfleet", NULL);
  g_autofree char *path = NULL;

  g_assert_cmpstr (cf_account_store_get_config_dir (store), ==, expected_dir);
  g_assert_true (cf_account_store_get_secret_store (store) == secrets);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == CF_TYPE_ACCOUNT);

  g_assert_true (cf_account_store_load (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 0));

  path = cf_account_store_dup_accounts_path (store);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_roundtrip_file_secrets (void)
{
  g_autoptr(CfSecretStore) secrets = cf_file_secret_store_new (NULL);
  g_autoptr(CfAccountStore) store = cf_account_store_new (NULL, secrets);
  g_autoptr(CfAccountStore) again = NULL;
  g_autoptr(CfAccount) labs = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  g_autoptr(CfAccount) gemini = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Gem");
  g_autoptr(CfAccount) loaded = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *tokens[] = { "ya29.fake-store-a", "ya29.fake-store-b", NULL };

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  cf_account_set_project_id (labs, "proj-1");
  cf_account_set_tokens (labs, tokens);
  cf_account_set_tier (labs, "PAYGATE_TIER_TWO");
  cf_account_set_max_in_flight (labs, 6);
  cf_account_set_request_form (labs, CF_REQUEST_FORM_2026);
  cf_account_set_last_credits (labs, 480);
  cf_account_set_api_key (gemini, "AIza-fake-store-key");
  cf_account_set_enabled (gemini, FALSE);
  cf_account_set_model_key (gemini, "veo-3.1-fast-generate-preview");

  cf_account_store_add (store, labs);
  cf_account_store_add (store, gemini);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 0, 0, 0, 1);
  assert_change (changes, 1, 1, 0, 1);

  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);

  path = cf_account_store_dup_accounts_path (store);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_false (file_contains (path, "ya29"));
  g_assert_false (file_contains (path, "AIza"));
  g_assert_true (file_contains (path, cf_account_get_id (labs)));
  g_assert_true (file_contains (cf_file_secret_store_get_path (CF_FILE_SECRET_STORE (secrets)),
                                "ya29.fake-store-b"));

  /* Atomic writes leave no temporary files behind. */
  {
    g_autoptr(GDir) dir = g_dir_open (cf_account_store_get_config_dir (store), 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)))
      g_ptr_array_add (names, g_strdup (name));
    g_assert_cmpuint (names->len, ==, 2);
    g_assert_true (g_ptr_array_find_with_equal_func (names, "accounts.json", g_str_equal, NULL));
    g_assert_true (g_ptr_array_find_with_equal_func (names, "secrets.json", g_str_equal, NULL));
    g_assert_cmpuint (file_mode (cf_account_store_get_config_dir (store)), ==, 0700);
  }

  again = cf_account_store_new (NULL, secrets);
  g_signal_connect (again, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_assert_true (cf_account_store_load (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 0, 0, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);

  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_true (loaded != labs);
  g_assert_cmpstr (cf_account_get_id (loaded), ==, cf_account_get_id (labs));
  g_assert_cmpstr (cf_account_get_name (loaded), ==, "Acc 1");
  g_assert_cmpstr (cf_account_get_project_id (loaded), ==, "proj-1");
  g_assert_true (g_strv_equal (cf_account_get_tokens (loaded), tokens));
  g_assert_cmpstr (cf_account_get_tier (loaded), ==, "PAYGATE_TIER_TWO");
  g_assert_cmpuint (cf_account_get_max_in_flight (loaded), ==, 6);
  g_assert_cmpint (cf_account_get_request_form (loaded), ==, CF_REQUEST_FORM_2026);
  g_assert_cmpint (cf_account_get_last_credits (loaded), ==, 480);
  g_assert_true (cf_account_is_usable (loaded));
  g_clear_object (&loaded);

  loaded = g_list_model_get_item (G_LIST_MODEL (again), 1);
  g_assert_cmpint (cf_account_get_kind (loaded), ==, CF_ACCOUNT_KIND_GEMINI);
  g_assert_cmpstr (cf_account_get_api_key (loaded), ==, "AIza-fake-store-key");
  g_assert_false (cf_account_get_enabled (loaded));
  g_assert_cmpstr (cf_account_get_model_key (loaded), ==, "veo-3.1-fast-generate-preview");
  g_clear_object (&loaded);

  /* Loading again replaces the whole list in one change. */
  g_assert_true (cf_account_store_load (again, NULL, &error));
  g_assert_no_error (error);
  assert_change (changes, 3, 0, 2, 2);

  g_signal_handlers_disconnect_by_func (store, items_changed_cb, changes);
  g_signal_handlers_disconnect_by_func (again, items_changed_cb, changes);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_broken_file (void)
{
  g_autoptr(CfSecretStore) secrets = g_object_new (TEST_TYPE_SECRET_STORE, NULL);
  g_autoptr(CfAccountStore) store = cf_account_store_new (NULL, secrets);
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cf_account_store_dup_accounts_path (store);
  g_autofree char *after = NULL;
  const char *broken[] = {
    "{\"version\": 1, \"accounts\": [{\"id\": \"x\", ",
    "[]",
    "{\"version\": 1, \"accounts\": {}}",
    "{\"version\": 99, \"accounts\": []}",
    "{\"version\": 1, \"accounts\": [{\"id\": \"x\", \"kind\": \"labs\", \"max_in_flight\": -2}]}",
    "{\"version\": 1, \"accounts\": [{\"id\": \"x\", \"kind\": \"labs\"}, "
                                    "{\"id\": \"x\", \"kind\": \"labs\"}]}",
  };

  cf_account_store_add (store, account);

  g_assert_no_errno (g_mkdir_with_parents (cf_account_store_get_config_dir (store), 0700));

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_assert_true (g_file_set_contents (path, broken[i], -1, NULL));

      g_assert_false (cf_account_store_load (store, NULL, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      /* What was shown stays; the file is not overwritten by a save. */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
      g_assert_false (cf_account_store_save (store, NULL, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, broken[i]);
      g_clear_pointer (&after, g_free);
    }

  /* Once the user moved it away, all is well again. */
  g_assert_no_errno (g_remove (path));
  g_assert_true (cf_account_store_load (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_remove_find_enabled (void)
{
  g_autoptr(TestSecretStore) secrets = g_object_new (TEST_TYPE_SECRET_STORE, NULL);
  g_autoptr(CfAccountStore) store = cf_account_store_new (NULL, CF_SECRET_STORE (secrets));
  g_autoptr(CfAccount) a = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  g_autoptr(CfAccount) b = cf_account_new (CF_ACCOUNT_KIND_LABS, "École");
  g_autoptr(CfAccount) c = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Gem");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) enabled = NULL;
  g_autoptr(GError) error = NULL;
  const char *tokens[] = { "ya29.fake-x", NULL };

  cf_account_set_tokens (a, tokens);
  cf_account_set_tokens (b, tokens);
  cf_account_set_api_key (c, "AIza-fake");
  cf_account_set_enabled (b, FALSE);
  cf_account_store_add (store, a);
  cf_account_store_add (store, b);
  cf_account_store_add (store, c);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (secrets->secrets), ==, 3);

  g_assert_true (cf_account_store_find (store, cf_account_get_id (b)) == b);
  g_assert_true (cf_account_store_find (store, "acc 1") == a);
  g_assert_true (cf_account_store_find (store, "ÉCOLE") == b);
  g_assert_true (cf_account_store_find (store, "GEM") == c);
  g_assert_null (cf_account_store_find (store, "Acc"));
  g_assert_null (cf_account_store_find (store, NULL));

  enabled = cf_account_store_dup_enabled (store);
  g_assert_cmpuint (enabled->len, ==, 2);
  g_assert_true (g_ptr_array_index (enabled, 0) == a);
  g_assert_true (g_ptr_array_index (enabled, 1) == c);

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  /* A failing secret store keeps the account listed. */
  secrets->fail = TRUE;
  g_assert_false (cf_account_store_remove (store, b, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpuint (changes->len, ==, 0);
  secrets->fail = FALSE;

  g_assert_true (cf_account_store_remove (store, b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 1, 1, 0);
  g_assert_false (g_hash_table_contains (secrets->secrets, cf_account_get_id (b)));
  g_assert_true (g_hash_table_contains (secrets->secrets, cf_account_get_id (a)));
  g_assert_null (cf_account_store_find (store, "école"));

  /* Removing what is not there is a no-op. */
  g_assert_true (cf_account_store_remove (store, b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);

  g_signal_handlers_disconnect_by_func (store, items_changed_cb, changes);
  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
test_saves_only_changed_secrets (void)
{
  g_autoptr(TestSecretStore) secrets = g_object_new (TEST_TYPE_SECRET_STORE, NULL);
  g_autoptr(CfAccountStore) store = cf_account_store_new (NULL, CF_SECRET_STORE (secrets));
  g_autoptr(CfAccountStore) again = NULL;
  g_autoptr(CfAccount) a = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  g_autoptr(CfAccount) b = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 2");
  g_autoptr(CfAccount) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *tokens[] = { "ya29.fake-1", NULL };
  const char *new_tokens[] = { "ya29.fake-2", NULL };

  cf_account_set_tokens (a, tokens);
  cf_account_store_add (store, a);
  cf_account_store_add (store, b);

  /* b has no secrets and never had: nothing to write or clear for it. */
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secrets->n_store, ==, 1);
  g_assert_cmpuint (secrets->n_clear, ==, 0);

  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secrets->n_store, ==, 1);

  cf_account_set_tokens (a, new_tokens);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secrets->n_store, ==, 2);

  cf_account_set_tokens (a, NULL);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secrets->n_clear, ==, 1);
  g_assert_false (g_hash_table_contains (secrets->secrets, cf_account_get_id (a)));

  cf_account_set_tokens (a, tokens);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);

  /*
   * Without a secret service at load, the accounts are still listed, the
   * error says why, and saving later does not wipe the secrets it could
   * not read.
   */
  secrets->fail = TRUE;
  again = cf_account_store_new (NULL, CF_SECRET_STORE (secrets));
  g_assert_false (cf_account_store_load (again, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpuint (cf_account_get_n_tokens (loaded), ==, 0);

  secrets->fail = FALSE;
  secrets->n_store = secrets->n_clear = 0;
  g_assert_true (cf_account_store_save (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secrets->n_store, ==, 0);
  g_assert_cmpuint (secrets->n_clear, ==, 0);
  g_assert_true (g_hash_table_contains (secrets->secrets, cf_account_get_id (a)));

  /* With a secret store that fails, accounts.json is not written either. */
  cf_account_set_name (loaded, "Renamed");
  cf_account_set_tokens (loaded, new_tokens);
  secrets->fail = TRUE;
  g_assert_false (cf_account_store_save (again, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);
  {
    g_autofree char *path = cf_account_store_dup_accounts_path (again);

    g_assert_false (file_contains (path, "Renamed"));
  }
}

static void
test_keyring (void)
{
  g_autoptr(CfKeyringFixture) fixture = NULL;
  g_autoptr(CfSecretStore) secrets = NULL;
  g_autoptr(CfAccountStore) store = NULL;
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Keyring acc");
  g_autoptr(CfAccount) loaded = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *root = g_path_get_dirname (g_get_home_dir ());
  const char *tokens[2] = { NULL, NULL };

  fixture = cf_keyring_fixture_start (&error);
  g_assert_no_error (error);

  token = g_strdup_printf ("ya29.fake-keyring-%s", uuid);
  tokens[0] = token;

  secrets = cf_keyring_secret_store_new ();
  store = cf_account_store_new (NULL, secrets);
  cf_account_set_project_id (account, "proj-k");
  cf_account_set_tokens (account, tokens);
  cf_account_store_add (store, account);
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&secrets));

  /* Read back in a thread, as the app does at start-up, over a new connection. */
  secrets = cf_keyring_secret_store_new ();
  store = cf_account_store_new (NULL, secrets);
  {
    g_autoptr(GAsyncResult) result = NULL;

    cf_account_store_load_async (store, NULL, async_cb, &result);
    g_assert_true (cf_account_store_load_finish (store, wait_for (&result), &error));
    g_assert_no_error (error);
  }
  loaded = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (g_strv_equal (cf_account_get_tokens (loaded), tokens));

  /* Neither accounts.json nor anything else under the test's dirs has it. */
  find_files_containing (root, token, found);
  g_assert_cmpuint (found->len, ==, 0);

  g_assert_true (cf_account_store_remove (store, loaded, NULL, &error));
  g_assert_no_error (error);
  {
    g_auto(GStrv) left = cf_secret_store_lookup (secrets, cf_account_get_id (loaded), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (left), ==, 0);
  }

  g_clear_object (&loaded);
  assert_finalize_after_tasks (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&secrets));
}

static void
test_async (void)
{
  g_autoptr(CfSecretStore) secrets = cf_file_secret_store_new (NULL);
  g_autoptr(CfAccountStore) store = cf_account_store_new (NULL, secrets);
  g_autoptr(CfAccountStore) again = cf_account_store_new (NULL, secrets);
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Async");
  g_autoptr(CfAccount) loaded = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *tokens[] = { "ya29.fake-async-a", NULL };
  const char *later[] = { "ya29.fake-async-b", NULL };

  cf_account_set_project_id (account, "proj-async");
  cf_account_set_tokens (account, tokens);
  cf_account_store_add (store, account);

  cf_account_store_save_async (store, NULL, async_cb, &result);
  /* A change made while the save runs is not part of it... */
  cf_account_set_tokens (account, later);
  g_assert_true (cf_account_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_signal_connect (again, "items-changed", G_CALLBACK (items_changed_cb), changes);
  cf_account_store_load_async (again, NULL, async_cb, &result);
  /* The list changes in _finish(), on this thread, not before. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
  g_assert_true (cf_account_store_load_finish (again, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 1);

  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (cf_account_get_name (loaded), ==, "Async");
  g_assert_true (g_strv_equal (cf_account_get_tokens (loaded), tokens));
  g_clear_object (&loaded);

  /* ...but goes in the next one. */
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cf_account_store_load (again, NULL, &error));
  g_assert_no_error (error);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_true (g_strv_equal (cf_account_get_tokens (loaded), later));
  g_clear_object (&loaded);

  /* A cancelled load leaves the list as it was. */
  g_cancellable_cancel (cancellable);
  cf_account_store_load_async (again, cancellable, async_cb, &result);
  g_assert_false (cf_account_store_load_finish (again, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);

  /* A broken accounts.json: the async pair says so too and keeps the file. */
  path = cf_account_store_dup_accounts_path (again);
  g_assert_true (g_file_set_contents (path, "{", -1, NULL));
  cf_account_store_load_async (again, NULL, async_cb, &result);
  g_assert_false (cf_account_store_load_finish (again, wait_for (&result), &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_clear_object (&result);
  cf_account_store_save_async (again, NULL, async_cb, &result);
  g_assert_false (cf_account_store_save_finish (again, wait_for (&result), &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_true (file_contains (path, "{"));
  g_assert_false (file_contains (path, "Async"));

  g_signal_handlers_disconnect_by_func (again, items_changed_cb, changes);
  assert_finalize_after_tasks (g_steal_pointer (&again));
  assert_finalize_after_tasks (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/account-store/missing-file", test_missing_file);
  g_test_add_func ("/account-store/roundtrip-file-secrets", test_roundtrip_file_secrets);
  g_test_add_func ("/account-store/broken-file", test_broken_file);
  g_test_add_func ("/account-store/remove-find-enabled", test_remove_find_enabled);
  g_test_add_func ("/account-store/saves-only-changed-secrets", test_saves_only_changed_secrets);
  g_test_add_func ("/account-store/async", test_async);
  g_test_add_func ("/account-store/keyring", test_keyring);

  return g_test_run ();
}
