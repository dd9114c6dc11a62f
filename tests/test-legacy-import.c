/* test-legacy-import.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-account-store.h"
#include "cf-error.h"
#include "cf-file-secret-store.h"

static CfAccountStore *
new_store (void)
{
  g_autoptr(CfSecretStore) secrets = cf_file_secret_store_new (NULL);

  return cf_account_store_new (NULL, secrets);
}

static GFile *
data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);

  return g_file_new_for_path (path);
}

static CfAccount *
get_account (CfAccountStore *store,
             guint           position)
{
  /* The store keeps its own reference; the test only borrows. */
  g_autoptr(CfAccount) account = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (account);
  return account;
}

static void
test_labs_accounts (void)
{
  g_autoptr(CfAccountStore) store = new_store ();
  g_autoptr(GFile) file = data_file ("legacy-config.json");
  g_autoptr(GError) error = NULL;
  const char *acc1_tokens[] = { "ya29.fake-acc1-token-a", "ya29.fake-acc1-token-b", NULL };
  const char *acc2_tokens[] = { "ya29.fake-acc2-token-a", NULL };
  CfAccount *account;
  int added;

  added = cf_account_store_import_legacy (store, file, &error);
  g_assert_no_error (error);

  /* The repeated "Acc 1" and the top-level tokens (Acc 1's again) are skipped. */
  g_assert_cmpint (added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  account = get_account (store, 0);
  g_assert_cmpint (cf_account_get_kind (account), ==, CF_ACCOUNT_KIND_LABS);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Acc 1");
  g_assert_cmpstr (cf_account_get_project_id (account), ==,
                   "3f1c2a9e-0000-4000-8000-000000000001");
  g_assert_true (g_strv_equal (cf_account_get_tokens (account), acc1_tokens));
  g_assert_true (cf_account_get_enabled (account));
  g_assert_true (g_uuid_string_is_valid (cf_account_get_id (account)));
  g_assert_cmpuint (cf_account_get_max_in_flight (account), ==, CF_ACCOUNT_DEFAULT_MAX_IN_FLIGHT);

  account = get_account (store, 1);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Acc 2");
  g_assert_true (g_strv_equal (cf_account_get_tokens (account), acc2_tokens));
  g_assert_false (cf_account_get_enabled (account));

  /* Importing twice adds nothing. */
  added = cf_account_store_import_legacy (store, file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  /* And the import is saved like any account: tokens to the secret store only. */
  g_assert_true (cf_account_store_save (store, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *path = cf_account_store_dup_accounts_path (store);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "Acc 2"));
    g_assert_null (strstr (contents, "ya29"));
  }

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_string_tokens (void)
{
  g_autoptr(CfAccountStore) store = new_store ();
  g_autoptr(GFile) file = data_file ("legacy-config-string-tokens.json");
  g_autoptr(GError) error = NULL;
  const char *pasted[] = {
    "ya29.fake-pasted-a", "ya29.fake-pasted-b", "ya29.fake-pasted-c", "ya29.fake-pasted-d", NULL
  };
  const char *mixed[] = { "ya29.fake-mixed-a", "ya29.fake-mixed-b", "ya29.fake-mixed-c", NULL };
  const char *legacy[] = { "ya29.fake-legacy-a", "ya29.fake-legacy-b", NULL };
  CfAccount *account;
  int added;

  added = cf_account_store_import_legacy (store, file, &error);
  g_assert_no_error (error);
  /* "Empty" has neither a project nor tokens and is left out. */
  g_assert_cmpint (added, ==, 3);

  account = get_account (store, 0);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Pasted");
  g_assert_cmpstr (cf_account_get_project_id (account), ==,
                   "3f1c2a9e-0000-4000-8000-000000000003");
  g_assert_true (g_strv_equal (cf_account_get_tokens (account), pasted));
  g_assert_true (cf_account_get_enabled (account));

  account = get_account (store, 1);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Account 2");
  g_assert_true (g_strv_equal (cf_account_get_tokens (account), mixed));
  g_assert_true (cf_account_get_enabled (account));

  account = get_account (store, 2);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Imported account");
  g_assert_cmpstr (cf_account_get_project_id (account), ==,
                   "3f1c2a9e-0000-4000-8000-000000000005");
  g_assert_true (g_strv_equal (cf_account_get_tokens (account), legacy));
}

static void
test_top_level_only (void)
{
  g_autoptr(CfAccountStore) store = new_store ();
  g_autoptr(GFile) file = data_file ("legacy-config-top-only.json");
  g_autoptr(GError) error = NULL;
  const char *tokens[] = { "ya29.fake-top-a", "ya29.fake-top-b", NULL };
  CfAccount *account;

  g_assert_cmpint (cf_account_store_import_legacy (store, file, &error), ==, 1);
  g_assert_no_error (error);

  account = get_account (store, 0);
  g_assert_cmpstr (cf_account_get_project_id (account), ==,
                   "3f1c2a9e-0000-4000-8000-000000000006");
  g_assert_true (g_strv_equal (cf_account_get_tokens (account), tokens));
  g_assert_true (cf_account_is_usable (account));

  /* Already there, even after the user renamed it: the tokens match. */
  cf_account_set_name (account, "My old account");
  g_assert_cmpint (cf_account_store_import_legacy (store, file, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_errors (void)
{
  static const struct { const char *file; const char *says; } cases[] = {
    { "legacy-config-bad-tokens.json", "labs_accounts[1].tokens" },
    { "legacy-config-bad-enabled.json", "labs_accounts[0].enabled" },
    { "legacy-config-bad-list.json", "labs_accounts" },
    { "legacy-config-not-json.json", "legacy-config-not-json.json" },
    { "no-such-legacy-config.json", "no-such-legacy-config.json" },
    { "legacy-config-no-accounts.json", "legacy-config-no-accounts.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CfAccountStore) store = new_store ();
      g_autoptr(GFile) file = data_file (cases[i].file);
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);

      g_test_message ("importing %s", cases[i].file);
      g_assert_cmpint (cf_account_store_import_legacy (store, file, &error), ==, -1);
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_nonnull (strstr (error->message, name));
      g_assert_null (strstr (error->message, "ya29"));

      /* An error imports nothing, not even the entries before the bad one. */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/legacy-import/labs-accounts", test_labs_accounts);
  g_test_add_func ("/legacy-import/string-tokens", test_string_tokens);
  g_test_add_func ("/legacy-import/top-level-only", test_top_level_only);
  g_test_add_func ("/legacy-import/errors", test_errors);

  return g_test_run ();
}
