/* test-ui-paced-model.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CfPacedListModel: what it shows is always a prefix of its model, its
 * items-changed signals describe exactly what changed (a mirror kept from
 * the signals alone matches it), and once the main loop has run it shows
 * everything.
 */

#include "config.h"

#include <gio/gio.h>

#include "cf-paced-list-model.h"

/* A list kept up to date from items-changed alone, as a view would. */
typedef struct
{
  GListModel *model;
  GPtrArray  *items;
  guint       n_signals;
} Mirror;

static void
mirror_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->items->len);

  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->items, position + i, g_list_model_get_item (model, position + i));
  mirror->n_signals++;
}

static void
mirror_init (Mirror     *mirror,
             GListModel *model)
{
  mirror->model = model;
  mirror->items = g_ptr_array_new_with_free_func (g_object_unref);
  mirror->n_signals = 0;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (mirror->items, g_list_model_get_item (model, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (mirror_items_changed_cb), mirror);
}

static void
mirror_clear (Mirror *mirror)
{
  g_signal_handlers_disconnect_by_func (mirror->model, mirror_items_changed_cb, mirror);
  g_ptr_array_unref (mirror->items);
}

/* The paced model matches its mirror, and is a prefix of the base. */
static void
assert_consistent (CfPacedListModel *paced,
                   GListStore       *base,
                   Mirror           *mirror)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (paced));

  g_assert_cmpuint (n, ==, mirror->items->len);
  g_assert_cmpuint (n, <=, g_list_model_get_n_items (G_LIST_MODEL (base)));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (paced), n));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) shown = g_list_model_get_item (G_LIST_MODEL (paced), i);
      g_autoptr(GObject) in_base = g_list_model_get_item (G_LIST_MODEL (base), i);

      g_assert_true (shown == g_ptr_array_index (mirror->items, i));
      g_assert_true (shown == in_base);
    }
}

static void
drain (CfPacedListModel *paced)
{
  while (cf_paced_list_model_get_pending (paced))
    g_main_context_iteration (NULL, TRUE);
}

static void
append_objects (GListStore *store,
                guint       position,
                guint       n)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, g_object_new (G_TYPE_OBJECT, NULL));
  g_list_store_splice (store, position, 0, objects->pdata, n);
}

static void
test_many_items_come_in_slices (void)
{
  g_autoptr(GListStore) base = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(CfPacedListModel) paced = cf_paced_list_model_new (G_LIST_MODEL (base));
  Mirror mirror;

  mirror_init (&mirror, G_LIST_MODEL (paced));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (paced)) == G_TYPE_OBJECT);

  append_objects (base, 0, 1000);
  /* Nothing is shown in the dispatch that added the items. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==, 0);
  g_assert_true (cf_paced_list_model_get_pending (paced));

  drain (paced);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==, 1000);
  g_assert_cmpuint (mirror.n_signals, >, 1);
  assert_consistent (paced, base, &mirror);

  mirror_clear (&mirror);
}

static void
test_few_items_pass_at_once (void)
{
  g_autoptr(GListStore) base = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(CfPacedListModel) paced = cf_paced_list_model_new (G_LIST_MODEL (base));
  Mirror mirror;

  mirror_init (&mirror, G_LIST_MODEL (paced));
  append_objects (base, 0, 10);
  drain (paced);

  /* A retried take: one item, inserted among those shown, at once. */
  append_objects (base, 4, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==, 11);
  g_assert_false (cf_paced_list_model_get_pending (paced));
  g_list_store_remove (base, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==, 10);
  assert_consistent (paced, base, &mirror);

  mirror_clear (&mirror);
}

static void
test_random_changes (void)
{
  g_autoptr(GListStore) base = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(CfPacedListModel) paced = cf_paced_list_model_new (G_LIST_MODEL (base));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  Mirror mirror;

  mirror_init (&mirror, G_LIST_MODEL (paced));

  for (guint step = 0; step < 2000; step++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (base));
      guint position = g_rand_int_range (rand, 0, n + 1);
      guint removed = n > position ? g_rand_int_range (rand, 0, MIN (n - position, 40) + 1) : 0;
      /* Mostly small changes, sometimes a whole run's worth. */
      guint added = g_rand_int_range (rand, 0, 8) == 0 ? g_rand_int_range (rand, 5, 300)
                                                       : g_rand_int_range (rand, 0, 4);

      g_list_store_splice (base, position, removed, NULL, 0);
      append_objects (base, position, added);
      assert_consistent (paced, base, &mirror);

      /* Sometimes let a slice or two through, sometimes everything. */
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          drain (paced);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==,
                            g_list_model_get_n_items (G_LIST_MODEL (base)));
          break;

        case 1:
          g_main_context_iteration (NULL, FALSE);
          break;

        default:
          break;
        }
      assert_consistent (paced, base, &mirror);
    }

  drain (paced);
  assert_consistent (paced, base, &mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (base)));

  mirror_clear (&mirror);
}

static void
test_set_model (void)
{
  g_autoptr(GListStore) first = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GListStore) second = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(CfPacedListModel) paced = cf_paced_list_model_new (G_LIST_MODEL (first));
  Mirror mirror;

  append_objects (first, 0, 50);
  append_objects (second, 0, 3);
  drain (paced);
  mirror_init (&mirror, G_LIST_MODEL (paced));

  cf_paced_list_model_set_model (paced, G_LIST_MODEL (second));
  g_assert_true (cf_paced_list_model_get_model (paced) == G_LIST_MODEL (second));
  drain (paced);
  assert_consistent (paced, second, &mirror);
  g_assert_cmpuint (mirror.items->len, ==, 3);

  /* The old model no longer reaches the view. */
  append_objects (first, 0, 20);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==, 3);

  cf_paced_list_model_set_model (paced, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (paced)), ==, 0);
  g_assert_cmpuint (mirror.items->len, ==, 0);
  g_assert_false (cf_paced_list_model_get_pending (paced));

  mirror_clear (&mirror);
  g_assert_finalize_object (g_steal_pointer (&paced));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/paced-model/many-items-come-in-slices", test_many_items_come_in_slices);
  g_test_add_func ("/paced-model/few-items-pass-at-once", test_few_items_pass_at_once);
  g_test_add_func ("/paced-model/random-changes", test_random_changes);
  g_test_add_func ("/paced-model/set-model", test_set_model);

  return g_test_run ();
}
