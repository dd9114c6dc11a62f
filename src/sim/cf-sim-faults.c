/* cf-sim-faults.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-sim-private.h"

/*
 * Fault injection. A faulted API request has no effect on the simulated
 * world (nothing is charged, nothing is submitted), so that a client which
 * retries it correctly never pays twice. A rate of zero draws no random
 * number, so that turning faults off leaves a seeded run unchanged.
 */

static gboolean
draw (CfSimState *st,
      double      rate)
{
  return rate > 0 && g_rand_double (st->rand) < rate;
}

CfSimFaultKind
cf_sim_faults_roll (CfSimState        *st,
                    const CfSimFaults *faults,
                    gboolean           download)
{
  if (draw (st, faults->http_500))
    return CF_SIM_FAULT_HTTP_500;
  if (draw (st, faults->http_503))
    return CF_SIM_FAULT_HTTP_503;
  if (draw (st, faults->drop_connection))
    return CF_SIM_FAULT_DROP_CONNECTION;
  if (draw (st, faults->slow))
    return CF_SIM_FAULT_SLOW;
  if (download)
    {
      if (draw (st, faults->expired_url))
        return CF_SIM_FAULT_EXPIRED_URL;
      if (draw (st, faults->truncated_download))
        return CF_SIM_FAULT_TRUNCATED_DOWNLOAD;
    }
  else if (draw (st, faults->malformed_json))
    return CF_SIM_FAULT_MALFORMED_JSON;
  return CF_SIM_FAULT_NONE;
}

const char *
cf_sim_fault_name (CfSimFaultKind kind)
{
  switch (kind)
    {
    case CF_SIM_FAULT_NONE: return "none";
    case CF_SIM_FAULT_HTTP_500: return "http_500";
    case CF_SIM_FAULT_HTTP_503: return "http_503";
    case CF_SIM_FAULT_DROP_CONNECTION: return "drop_connection";
    case CF_SIM_FAULT_SLOW: return "slow";
    case CF_SIM_FAULT_MALFORMED_JSON: return "malformed_json";
    case CF_SIM_FAULT_TRUNCATED_DOWNLOAD: return "truncated_download";
    case CF_SIM_FAULT_EXPIRED_URL: return "expired_url";
    default: return "unknown";
    }
}

/* The connection goes away before any byte of an answer, like a reset. */
void
cf_sim_faults_drop (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  GIOStream *stream;
  GBytes    *data;
} Truncation;

static void
truncation_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Truncation *truncation = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close (truncation->stream, NULL, NULL);
  g_object_unref (truncation->stream);
  g_bytes_unref (truncation->data);
  g_free (truncation);
}

/*
 * Promises the whole body in Content-Length, sends half of it and closes the
 * connection: what a client sees when a download is cut off.
 */
void
cf_sim_faults_truncate (SoupServerMessage *msg,
                        const char        *content_type,
                        GBytes            *body)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  gsize length = g_bytes_get_size (body);
  g_autoptr(GString) data = NULL;
  Truncation *truncation;

  if (stream == NULL)
    return;
  data = g_string_new (NULL);
  g_string_append_printf (data,
                          "HTTP/1.1 200 OK\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n", content_type, length);
  g_string_append_len (data, g_bytes_get_data (body, NULL), length / 2);

  truncation = g_new0 (Truncation, 1);
  truncation->stream = g_object_ref (stream);
  truncation->data = g_string_free_to_bytes (g_steal_pointer (&data));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (truncation->data, NULL),
                                   g_bytes_get_size (truncation->data),
                                   G_PRIORITY_DEFAULT, NULL, truncation_written_cb, truncation);
}
