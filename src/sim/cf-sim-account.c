/* cf-sim-account.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-sim-private.h"

void
cf_sim_account_free (CfSimAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_strfreev (account->tokens);
  g_free (account->project_id);
  g_free (account->api_key);
  g_free (account->tier);
  g_clear_pointer (&account->in_flight, g_ptr_array_unref);
  g_clear_pointer (&account->uploads, g_hash_table_unref);
  g_free (account);
}

gboolean
cf_sim_account_tokens_expired (CfSimAccount *account)
{
  return account->expire_tokens_after_takes >= 0
         && account->accepted_takes >= (guint64) account->expire_tokens_after_takes;
}

/*
 * A token bucket holding one simulated second of requests: a burst of max_rps
 * requests passes, then they pass at max_rps per simulated second. On refusal
 * *wait_sim is the simulated time until the next request would pass.
 */
gboolean
cf_sim_account_take_request (CfSimAccount *account,
                             double        now,
                             double       *wait_sim)
{
  double capacity;

  account->requests++;
  if (account->max_rps <= 0)
    return TRUE;

  capacity = MAX (1.0, account->max_rps);
  account->bucket = MIN (capacity, account->bucket + (now - account->bucket_at) * account->max_rps);
  account->bucket_at = now;
  if (account->bucket >= 1.0)
    {
      account->bucket -= 1.0;
      return TRUE;
    }
  *wait_sim = (1.0 - account->bucket) / account->max_rps;
  return FALSE;
}

/* Drops the takes that have finished, so that the list stays short. */
guint
cf_sim_account_count_in_flight (CfSimAccount *account,
                                double        now)
{
  for (guint i = account->in_flight->len; i > 0; i--)
    {
      CfSimTake *take = g_ptr_array_index (account->in_flight, i - 1);

      if (take->finished_at <= now)
        g_ptr_array_remove_index_fast (account->in_flight, i - 1);
    }
  return account->in_flight->len;
}

/* The simulated time when the next in-flight take finishes. */
double
cf_sim_account_next_finish (CfSimAccount *account,
                            double        now)
{
  double next = G_MAXDOUBLE;

  for (guint i = 0; i < account->in_flight->len; i++)
    {
      CfSimTake *take = g_ptr_array_index (account->in_flight, i);

      next = MIN (next, take->finished_at);
    }
  return next == G_MAXDOUBLE ? now + 1 : next;
}

/*
 * How many of @wanted takes the account accepts now: bounded by its room for
 * takes in flight and by its credits. *out_of_credits tells which limit made
 * it zero.
 */
guint
cf_sim_account_room (CfSimAccount *account,
                     CfSimModel   *model,
                     double        now,
                     guint         wanted,
                     gboolean     *out_of_credits)
{
  guint room = wanted;
  guint in_flight = cf_sim_account_count_in_flight (account, now);

  *out_of_credits = FALSE;
  if (model->cost > 0)
    {
      gint64 affordable = account->credits / model->cost;

      if (affordable <= 0)
        {
          *out_of_credits = TRUE;
          return 0;
        }
      room = (guint) MIN ((gint64) room, affordable);
    }
  if (account->max_in_flight > 0)
    room = MIN (room, in_flight >= account->max_in_flight ? 0
                                                          : account->max_in_flight - in_flight);
  return room;
}
