/* cf-sim-take.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cf-sim-private.h"

/*
 * A take's whole life is decided when it is submitted: when it starts
 * rendering, when it finishes and whether it fails. Its status is then read
 * off the simulated clock whenever asked, so that thousands of takes cost no
 * timers at all. Every random draw comes from the seeded generator, so that a
 * run with the same seed and the same requests is the same run.
 */

char *
cf_sim_new_uuid (CfSimState *st)
{
  guint32 w[4];

  for (guint i = 0; i < 4; i++)
    w[i] = g_rand_int (st->rand);
  /* Version 4, variant 1, like g_uuid_string_random () but reproducible. */
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xfff,
                          (w[2] >> 16 & 0x3fff) | 0x8000, w[2] & 0xffff, w[3]);
}

char *
cf_sim_new_hex_id (CfSimState *st,
                   guint       length)
{
  static const char digits[] = "0123456789abcdef";
  char *id = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    id[i] = digits[g_rand_int_range (st->rand, 0, 16)];
  id[length] = '\0';
  return id;
}

static char *
new_media_generation_id (CfSimState *st)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  GString *id = g_string_new ("CAUSJ");

  for (guint i = 0; i < 43; i++)
    g_string_append_c (id, alphabet[g_rand_int_range (st->rand, 0, 64)]);
  return g_string_free (id, FALSE);
}

/* Box–Muller: one normal draw from the seeded generator. */
static double
normal (CfSimState *st)
{
  double u1 = g_rand_double_range (st->rand, 1e-12, 1.0);
  double u2 = g_rand_double (st->rand);

  return sqrt (-2.0 * log (u1)) * cos (2 * G_PI * u2);
}

gboolean
cf_sim_prompt_has_word (const char  *prompt,
                        char       **words)
{
  g_autofree char *folded = NULL;

  if (words == NULL || prompt == NULL)
    return FALSE;
  folded = g_utf8_casefold (prompt, -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = g_utf8_casefold (words[i], -1);

      if (strstr (folded, word) != NULL)
        return TRUE;
    }
  return FALSE;
}

CfSimTake *
cf_sim_take_new (CfSimState   *st,
                 CfSimAccount *account,
                 CfSimModel   *model,
                 CfSimShape    shape,
                 const char   *prompt,
                 gint64        seed)
{
  CfSimTake *take = g_new0 (CfSimTake, 1);
  double now = cf_sim_clock_now (st);
  double render;
  double pending;

  take->account = account;
  take->model = model;
  take->shape = shape;
  take->seed = seed;
  take->fails = cf_sim_prompt_has_word (prompt, st->config->fail_words);

  switch (shape)
    {
    case CF_SIM_SHAPE_A:
      take->id = cf_sim_new_hex_id (st, 32);
      break;
    case CF_SIM_SHAPE_B:
      take->id = cf_sim_new_uuid (st);
      take->workflow_id = cf_sim_new_uuid (st);
      break;
    case CF_SIM_SHAPE_GEMINI:
      take->id = cf_sim_new_hex_id (st, 16);
      break;
    default:
      g_assert_not_reached ();
    }
  take->video_id = shape == CF_SIM_SHAPE_GEMINI ? cf_sim_new_hex_id (st, 12)
                                                : cf_sim_new_uuid (st);
  take->media_generation_id = new_media_generation_id (st);
  take->clip = g_rand_int_range (st->rand, 0, MAX (1, st->n_clips));
  if (model->inline_video > 0)
    take->inline_video = g_rand_double (st->rand) < model->inline_video;

  render = model->render_seconds + model->render_spread * normal (st);
  render = MAX (render, model->render_seconds * 0.1);
  render *= account->render_factor;
  pending = model->pending_seconds * account->render_factor
            * g_rand_double_range (st->rand, 0.5, 1.5);

  take->submitted_at = now;
  take->started_at = now + pending;
  take->finished_at = take->started_at + render;
  take->downloaded_at = -1;

  st->serial++;
  return take;
}

void
cf_sim_take_free (CfSimTake *take)
{
  g_free (take->id);
  g_free (take->workflow_id);
  g_free (take->scene_id);
  g_free (take->video_id);
  g_free (take->media_generation_id);
  g_free (take->urls[0]);
  g_free (take->urls[1]);
  g_free (take);
}

void
cf_sim_op_free (CfSimOp *op)
{
  g_free (op->name);
  g_ptr_array_unref (op->takes);
  g_free (op);
}

CfSimStatus
cf_sim_take_status (CfSimTake *take,
                    double     now)
{
  if (now < take->started_at)
    return CF_SIM_STATUS_PENDING;
  if (now < take->finished_at)
    return CF_SIM_STATUS_ACTIVE;
  return take->fails ? CF_SIM_STATUS_FAILED : CF_SIM_STATUS_SUCCESSFUL;
}

const char *
cf_sim_take_labs_status (CfSimTake *take,
                         double     now)
{
  switch (cf_sim_take_status (take, now))
    {
    case CF_SIM_STATUS_PENDING:
      return "MEDIA_GENERATION_STATUS_PENDING";
    case CF_SIM_STATUS_ACTIVE:
      return "MEDIA_GENERATION_STATUS_ACTIVE";
    case CF_SIM_STATUS_SUCCESSFUL:
      return "MEDIA_GENERATION_STATUS_SUCCESSFUL";
    case CF_SIM_STATUS_FAILED:
      return "MEDIA_GENERATION_STATUS_FAILED";
    default:
      g_assert_not_reached ();
    }
}

char *
cf_sim_sign (CfSimState *st,
             const char *kind,
             const char *id,
             const char *expires)
{
  g_autofree char *data = g_strdup_printf ("%s/%s\n%s", kind, id, expires);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) st->secret,
                                    strlen (st->secret), data, -1);
}

static char *
sign_url (CfSimState *st,
          CfSimTake  *take,
          const char *kind,
          double      now)
{
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              cf_sim_clock_to_epoch (st, now + st->config->url_ttl_seconds));
  g_autofree char *signature = cf_sim_sign (st, kind, take->video_id, expires);

  return g_strdup_printf ("%s/storage/ai-sandbox-videofx/%s/%s?GoogleAccessId="
                          "labs-ai-sandbox-videofx%%40sim.iam.gserviceaccount.com"
                          "&Expires=%s&Signature=%s",
                          st->base_url, kind, take->video_id, expires, signature);
}

/*
 * A URL signed for url_ttl_seconds, in the shape of a Cloud Storage signed
 * URL; @kind is "video" or "image". Like the real service, a poll may hand
 * out the same URL again while it has more than half its life left: signing
 * on every poll of every take would cost more than the rest of the answer.
 */
char *
cf_sim_take_signed_url (CfSimState *st,
                        CfSimTake  *take,
                        const char *kind)
{
  double now = cf_sim_clock_now (st);
  guint index = g_str_equal (kind, "video") ? 0 : 1;

  if (take->urls[0] == NULL || now - take->urls_issued_at > st->config->url_ttl_seconds / 2)
    {
      g_free (take->urls[0]);
      g_free (take->urls[1]);
      take->urls[0] = sign_url (st, take, "video", now);
      take->urls[1] = sign_url (st, take, "image", now);
      take->urls_issued_at = now;
    }
  return g_strdup (take->urls[index]);
}
