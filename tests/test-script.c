/* test-script.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-script.h"

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

  /* Numbers must already be right when a view hears of the change. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CfScene) scene = g_list_model_get_item (model, i);

      g_assert_cmpuint (cf_scene_get_number (scene), ==, i + 1);
    }

  g_array_append_val (changes, change);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
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

static void
assert_prompts (CfScript   *script,
                const char *expected)
{
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
    {
      CfScene *scene = cf_script_get_scene (script, i);

      g_assert_cmpuint (cf_scene_get_number (scene), ==, i + 1);
      if (i > 0)
        g_string_append_c (got, ' ');
      g_string_append (got, cf_scene_get_prompt (scene));
    }

  g_assert_cmpstr (got->str, ==, expected);
}

static void
append_prompt (CfScript   *script,
               const char *prompt)
{
  g_autoptr(CfScene) scene = cf_scene_new (prompt);

  cf_script_append_scene (script, scene);
}

static void
test_script_list_model (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(CfScene) inserted = cf_scene_new ("X");
  g_autoptr(CfScene) item = NULL;
  guint n_items_notified = 0;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (script)) == CF_TYPE_SCENE);
  g_signal_connect (script, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (script, "notify::n-items", G_CALLBACK (notify_count_cb), &n_items_notified);

  append_prompt (script, "A");
  append_prompt (script, "B");
  append_prompt (script, "C");
  assert_prompts (script, "A B C");
  assert_change (changes, 0, 0, 0, 1);
  assert_change (changes, 2, 2, 0, 1);
  g_assert_cmpuint (n_items_notified, ==, 3);

  cf_script_insert_scene (script, 1, inserted);
  assert_prompts (script, "A X B C");
  assert_change (changes, 3, 1, 0, 1);

  /* Past the end means at the end. */
  cf_script_insert_scene (script, 99, cf_scene_copy (inserted));
  g_object_unref (cf_script_get_scene (script, 4));
  assert_change (changes, 4, 4, 0, 1);
  cf_script_remove_scene (script, 4);
  assert_change (changes, 5, 4, 1, 0);

  cf_script_remove_scene (script, 0);
  assert_prompts (script, "X B C");
  assert_change (changes, 6, 0, 1, 0);

  item = g_list_model_get_item (G_LIST_MODEL (script), 0);
  g_assert_true (item == inserted);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (script), 3));
  g_assert_null (cf_script_get_scene (script, 3));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (script)), ==, 3);
}

static void
test_script_move (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  guint n_items_notified = 0;

  cf_script_append_paragraphs (script, "A\n\nB\n\nC\n\nD\n\nE");
  g_signal_connect (script, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (script, "notify::n-items", G_CALLBACK (notify_count_cb), &n_items_notified);

  cf_script_move_scene (script, 0, 3);
  assert_prompts (script, "B C D A E");
  assert_change (changes, 0, 0, 4, 4);

  cf_script_move_scene (script, 4, 1);
  assert_prompts (script, "B E C D A");
  assert_change (changes, 1, 1, 4, 4);

  cf_script_move_scene (script, 2, 2);
  g_assert_cmpuint (changes->len, ==, 2);

  cf_script_move_scene (script, 3, 4);
  assert_prompts (script, "B E C A D");
  assert_change (changes, 2, 3, 2, 2);

  /* A move does not change the count. */
  g_assert_cmpuint (n_items_notified, ==, 0);
}

static void
test_script_remove_all (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  CfScene *first;

  cf_script_append_paragraphs (script, "A\n\nB\n\nC");
  first = g_object_ref (cf_script_get_scene (script, 0));
  g_signal_connect (script, "items-changed", G_CALLBACK (items_changed_cb), changes);

  cf_script_remove_all (script);
  g_assert_cmpuint (cf_script_get_n_scenes (script), ==, 0);
  assert_change (changes, 0, 0, 3, 0);

  cf_script_remove_all (script);
  g_assert_cmpuint (changes->len, ==, 1);

  /* The script holds no reference and no signal handler on a removed scene. */
  cf_scene_set_prompt (first, "still alive");
  g_assert_finalize_object (first);
}

static void
test_script_paragraphs (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  guint n;

  g_signal_connect (script, "items-changed", G_CALLBACK (items_changed_cb), changes);

  n = cf_script_append_paragraphs (script,
                                   "\r\n  \nMột chiếc thuyền giấy\r\ntrôi trên mưa\r\n"
                                   " \t \r\n\r\nSecond scene\n\n\n\nThird\n");
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 3);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 0)), ==,
                   "Một chiếc thuyền giấy\ntrôi trên mưa");
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (script, 2)), ==, "Third");

  n = cf_script_append_paragraphs (script, "Fourth");
  g_assert_cmpuint (n, ==, 1);
  assert_change (changes, 1, 3, 0, 1);
  g_assert_cmpuint (cf_scene_get_number (cf_script_get_scene (script, 3)), ==, 4);

  g_assert_cmpuint (cf_script_append_paragraphs (script, " \n\n \t\n"), ==, 0);
  g_assert_cmpuint (cf_script_append_paragraphs (script, ""), ==, 0);
  g_assert_cmpuint (cf_script_append_paragraphs (script, NULL), ==, 0);
  g_assert_cmpuint (changes->len, ==, 2);

  /* Pasted junk bytes do not lose the paragraph around them. */
  n = cf_script_append_paragraphs (script, "caf\xe9 scene");
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (g_utf8_validate (cf_scene_get_prompt (cf_script_get_scene (script, 4)),
                                  -1, NULL));
}

static void
test_script_properties (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  guint notified = 0;
  guint changed = 0;

  g_signal_connect (script, "notify", G_CALLBACK (notify_count_cb), &notified);
  g_signal_connect (script, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_cmpstr (cf_script_get_title (script), ==, "");
  cf_script_set_title (script, "Thuyền giấy");
  cf_script_set_title (script, "Thuyền giấy");
  cf_script_set_default_aspect (script, CF_ASPECT_PORTRAIT);
  cf_script_set_default_aspect (script, CF_ASPECT_PORTRAIT);
  cf_script_set_default_takes (script, 2);
  cf_script_set_default_takes (script, 2);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpuint (changed, ==, 3);

  /* A scene's edit is a change of the script; its renumbering is not. */
  append_prompt (script, "A");
  append_prompt (script, "B");
  g_assert_cmpuint (changed, ==, 5);
  cf_scene_set_prompt (cf_script_get_scene (script, 1), "B2");
  g_assert_cmpuint (changed, ==, 6);
  cf_scene_set_number (cf_script_get_scene (script, 1), 7);
  g_assert_cmpuint (changed, ==, 6);
}

static void
test_script_copy (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(CfScript) copy = NULL;
  guint changed = 0;

  cf_script_set_title (script, "Cà phê");
  cf_script_set_default_aspect (script, CF_ASPECT_SQUARE);
  cf_script_set_default_takes (script, 3);
  cf_script_append_paragraphs (script, "A\n\nB");
  cf_scene_set_seed (cf_script_get_scene (script, 1), 42);

  copy = cf_script_copy (script);
  g_signal_connect (copy, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_cmpstr (cf_script_get_title (copy), ==, "Cà phê");
  g_assert_cmpint (cf_script_get_default_aspect (copy), ==, CF_ASPECT_SQUARE);
  g_assert_cmpuint (cf_script_get_default_takes (copy), ==, 3);
  assert_prompts (copy, "A B");
  g_assert_cmpint (cf_scene_get_seed (cf_script_get_scene (copy, 1)), ==, 42);
  g_assert_true (cf_script_get_scene (copy, 0) != cf_script_get_scene (script, 0));

  /* The run's snapshot does not see the editor's later edits. */
  cf_scene_set_prompt (cf_script_get_scene (script, 0), "edited");
  cf_script_remove_scene (script, 1);
  assert_prompts (copy, "A B");
  g_assert_cmpuint (changed, ==, 0);

  cf_scene_set_prompt (cf_script_get_scene (copy, 0), "copy edited");
  g_assert_cmpuint (changed, ==, 1);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&script));
}

static void
test_script_scene_outlives (void)
{
  CfScript *script = cf_script_new ();
  CfScene *scene = cf_scene_new ("survivor");

  cf_script_append_scene (script, scene);
  g_assert_finalize_object (script);

  /* The script is gone: editing the scene must not reach it. */
  cf_scene_set_prompt (scene, "edited after");
  g_assert_finalize_object (scene);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/script/list-model", test_script_list_model);
  g_test_add_func ("/script/move", test_script_move);
  g_test_add_func ("/script/remove-all", test_script_remove_all);
  g_test_add_func ("/script/paragraphs", test_script_paragraphs);
  g_test_add_func ("/script/properties", test_script_properties);
  g_test_add_func ("/script/copy", test_script_copy);
  g_test_add_func ("/script/scene-outlives", test_script_scene_outlives);

  return g_test_run ();
}
