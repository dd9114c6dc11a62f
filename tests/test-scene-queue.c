/* test-scene-queue.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-scene-queue.h"

/* The shared queue: order, room, avoidance, round-robin shares, and wake-ups. */

static CfSceneUnit *
unit_new (guint scene_index,
          guint n_takes,
          guint n_accounts)
{
  CfSceneUnit *unit = cf_scene_unit_new (scene_index, n_accounts);

  for (guint t = 1; t <= n_takes; t++)
    cf_scene_unit_add_take (unit, t);
  return unit;
}

static void
test_order_and_room (void)
{
  CfSceneQueue *queue = cf_scene_queue_new (2);
  g_autoptr(GPtrArray) exhausted = g_ptr_array_new ();
  CfSceneUnit *unit;

  cf_scene_queue_push (queue, unit_new (0, 1, 2), FALSE);
  cf_scene_queue_push (queue, unit_new (1, 2, 2), FALSE);
  cf_scene_queue_push (queue, unit_new (2, 1, 2), TRUE);
  g_assert_cmpuint (cf_scene_queue_get_length (queue), ==, 3);

  /* A retry pushed to the front comes first. */
  unit = cf_scene_queue_pop_for (queue, 0, 1, FALSE, exhausted);
  g_assert_cmpuint (unit->scene_index, ==, 2);
  cf_scene_unit_free (unit);
  unit = cf_scene_queue_pop_for (queue, 1, 1, FALSE, exhausted);
  g_assert_cmpuint (unit->scene_index, ==, 0);
  cf_scene_unit_free (unit);

  /* Two takes do not fit in a room of one... */
  g_assert_null (cf_scene_queue_pop_for (queue, 0, 1, FALSE, exhausted));
  /* ...unless the worker has nothing in flight. */
  unit = cf_scene_queue_pop_for (queue, 0, 1, TRUE, exhausted);
  g_assert_cmpuint (unit->n_takes, ==, 2);
  cf_scene_unit_free (unit);

  g_assert_cmpuint (cf_scene_queue_get_length (queue), ==, 0);
  g_assert_cmpuint (exhausted->len, ==, 0);
  cf_scene_queue_free (queue);
}

static void
test_avoid_and_exhaust (void)
{
  CfSceneQueue *queue = cf_scene_queue_new (2);
  g_autoptr(GPtrArray) exhausted = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_scene_unit_free);
  CfSceneUnit *unit = unit_new (0, 1, 2);
  CfSceneUnit *popped;

  g_assert_false (cf_scene_unit_add_failure (unit, 0, 10, "one"));
  g_assert_false (cf_scene_unit_add_failure (unit, 0, 10, "two"));
  g_assert_true (cf_scene_unit_add_failure (unit, 0, 10, "three"));
  g_assert_true (cf_scene_unit_avoids (unit, 0));
  g_assert_false (cf_scene_unit_avoids (unit, 1));
  cf_scene_queue_push (queue, unit, TRUE);

  /* Account 0 may not have it; account 1 may. */
  g_assert_null (cf_scene_queue_pop_for (queue, 0, 4, TRUE, exhausted));
  g_assert_cmpuint (exhausted->len, ==, 0);
  popped = cf_scene_queue_pop_for (queue, 1, 4, TRUE, exhausted);
  g_assert_true (popped == unit);

  /* Once account 1 is out too, nobody can take it: it is handed back as exhausted. */
  cf_scene_queue_push (queue, popped, TRUE);
  g_assert_cmpuint (cf_scene_queue_account_out (queue, 1), ==, 1);
  g_assert_null (cf_scene_queue_pop_for (queue, 0, 4, TRUE, exhausted));
  g_assert_cmpuint (exhausted->len, ==, 1);
  g_assert_cmpstr (((CfSceneUnit *) g_ptr_array_index (exhausted, 0))->last_error, ==, "three");
  cf_scene_queue_free (queue);
}

static void
test_round_robin_shares (void)
{
  CfSceneQueue *queue = cf_scene_queue_new (2);
  CfSceneUnit *unit;

  for (guint i = 0; i < 4; i++)
    {
      unit = unit_new (i, 1, 2);
      unit->assigned = i % 2;
      cf_scene_queue_push (queue, unit, FALSE);
    }

  unit = cf_scene_queue_pop_for (queue, 1, 4, TRUE, NULL);
  g_assert_cmpuint (unit->scene_index, ==, 1);
  cf_scene_unit_free (unit);

  /* Account 1 leaves: its share flows to account 0. */
  cf_scene_queue_account_out (queue, 1);
  for (guint expected = 0; expected < 4; expected++)
    {
      if (expected == 1)
        continue;
      unit = cf_scene_queue_pop_for (queue, 0, 4, TRUE, NULL);
      g_assert_nonnull (unit);
      g_assert_cmpuint (unit->scene_index, ==, expected);
      cf_scene_unit_free (unit);
    }
  g_assert_cmpuint (cf_scene_queue_get_n_active (queue), ==, 1);
  cf_scene_queue_free (queue);
}

static void
test_outstanding_and_stop (void)
{
  CfSceneQueue *queue = cf_scene_queue_new (1);
  g_autoptr(GPtrArray) drained = NULL;

  cf_scene_queue_add_outstanding (queue, 5);
  cf_scene_queue_add_outstanding (queue, -2);
  g_assert_cmpuint (cf_scene_queue_get_outstanding (queue), ==, 3);

  cf_scene_queue_push (queue, unit_new (0, 1, 1), FALSE);
  cf_scene_queue_push (queue, unit_new (1, 1, 1), FALSE);
  g_assert_false (cf_scene_queue_is_stopping (queue));
  cf_scene_queue_stop (queue);
  g_assert_true (cf_scene_queue_is_stopping (queue));

  drained = cf_scene_queue_drain (queue);
  g_assert_cmpuint (drained->len, ==, 2);
  g_assert_cmpuint (cf_scene_queue_get_length (queue), ==, 0);
  cf_scene_queue_free (queue);
}

static gpointer
push_later (gpointer data)
{
  CfSceneQueue *queue = data;

  g_usleep (20000);
  cf_scene_queue_push (queue, unit_new (7, 1, 1), FALSE);
  return NULL;
}

static void
test_wait_wakes (void)
{
  CfSceneQueue *queue = cf_scene_queue_new (1);
  guint64 seen = cf_scene_queue_get_changes (queue);
  GThread *thread;
  CfSceneUnit *unit;

  /* A deadline in the past returns at once without a change. */
  cf_scene_queue_wait (queue, &seen, g_get_monotonic_time () - 1);

  /* No deadline: only the push can end the wait. */
  thread = g_thread_new ("push", push_later, queue);
  cf_scene_queue_wait (queue, &seen, -1);
  g_thread_join (thread);

  unit = cf_scene_queue_pop_for (queue, 0, 1, FALSE, NULL);
  g_assert_nonnull (unit);
  g_assert_cmpuint (unit->scene_index, ==, 7);
  cf_scene_unit_free (unit);
  cf_scene_queue_free (queue);
}

static void
test_sibling (void)
{
  g_autoptr(CfSceneUnit) unit = unit_new (3, 2, 3);
  g_autoptr(CfSceneUnit) sibling = NULL;

  cf_scene_unit_add_failure (unit, 2, 4, "x");
  unit->assigned = 1;
  sibling = cf_scene_unit_new_sibling (unit);
  g_assert_cmpuint (sibling->scene_index, ==, 3);
  g_assert_cmpuint (sibling->n_takes, ==, 0);
  g_assert_cmpint (sibling->assigned, ==, 1);
  g_assert_cmpuint (sibling->failures[2], ==, 1);
  g_assert_cmpstr (sibling->last_error, ==, "x");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scene-queue/order-and-room", test_order_and_room);
  g_test_add_func ("/scene-queue/avoid-and-exhaust", test_avoid_and_exhaust);
  g_test_add_func ("/scene-queue/round-robin-shares", test_round_robin_shares);
  g_test_add_func ("/scene-queue/outstanding-and-stop", test_outstanding_and_stop);
  g_test_add_func ("/scene-queue/wait-wakes", test_wait_wakes);
  g_test_add_func ("/scene-queue/sibling", test_sibling);

  return g_test_run ();
}
