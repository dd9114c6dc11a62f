/* cf-thumbnailer.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-thumbnailer.h"

/* Pipelines opened at once: each holds decoder threads. */
#define MAX_ACTIVE 2
/* Frames kept; the oldest go first. Each is small (see THUMB_WIDTH). */
#define MAX_CACHED 300
/* The cards show the frame about this wide; a full 720p frame per card
 * would hold gigabytes for a long run. */
#define THUMB_WIDTH 360
/* A clip that gives no frame in this long is not a clip we can show. */
#define FRAME_TIMEOUT_S 10

typedef struct
{
  CfThumbnailer *self;
  char          *path;
  GtkMediaFile  *media;
  gulong         invalidate_id;
  gulong         error_id;
  guint          timeout_id;
  guint          finish_id;
  GdkPaintable  *frame;
} Job;

struct _CfThumbnailer
{
  GObject     parent_instance;

  GHashTable *frames;   /* path → GdkPaintable, or NULL value for failures */
  GQueue      order;    /* paths in the order they were cached */
  GQueue      pending;  /* paths waiting */
  GHashTable *queued;   /* path set of pending and active */
  GPtrArray  *active;   /* Job */
};

G_DEFINE_FINAL_TYPE (CfThumbnailer, cf_thumbnailer, G_TYPE_OBJECT)

enum {
  READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cf_thumbnailer_pump (CfThumbnailer *self);

CfThumbnailer *
cf_thumbnailer_new (void)
{
  return g_object_new (CF_TYPE_THUMBNAILER, NULL);
}

CfThumbnailer *
cf_thumbnailer_get_default (void)
{
  static CfThumbnailer *instance;

  if (instance == NULL)
    {
      instance = cf_thumbnailer_new ();
      g_object_add_weak_pointer (G_OBJECT (instance), (gpointer *) &instance);
    }

  return instance;
}

GdkPaintable *
cf_thumbnailer_lookup (CfThumbnailer *self,
                       const char    *path)
{
  g_return_val_if_fail (CF_IS_THUMBNAILER (self), NULL);

  if (path == NULL)
    return NULL;
  return g_hash_table_lookup (self->frames, path);
}

gboolean
cf_thumbnailer_has_failed (CfThumbnailer *self,
                           const char    *path)
{
  gpointer value = NULL;

  g_return_val_if_fail (CF_IS_THUMBNAILER (self), FALSE);

  return path != NULL
         && g_hash_table_lookup_extended (self->frames, path, NULL, &value)
         && value == NULL;
}

static void
clear_frame (gpointer frame)
{
  if (frame != NULL)
    g_object_unref (frame);
}

static void
cf_thumbnailer_store (CfThumbnailer *self,
                      const char    *path,
                      GdkPaintable  *frame)
{
  g_hash_table_insert (self->frames, g_strdup (path), frame ? g_object_ref (frame) : NULL);
  g_queue_push_tail (&self->order, g_strdup (path));

  while (self->order.length > MAX_CACHED)
    {
      g_autofree char *oldest = g_queue_pop_head (&self->order);

      g_hash_table_remove (self->frames, oldest);
    }
}

/* How long a closed media file rests before it is freed. */
#define DROP_DELAY_MS 500

static gboolean
drop_media_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/*
 * Freeing a GStreamer media file joins its player's thread, which takes tens
 * of milliseconds while the pipeline is still running: long enough to
 * stutter the window. Closing it first stops the pipeline (on the player's
 * own thread); the media is freed a little later, on the main thread, when
 * its thread has nothing left to do. It is never freed from another thread:
 * its player reports to the main context, and a free racing with one of
 * those reports aborted the ui-demo test once.
 */
static void
drop_media_later (GtkMediaFile *media)
{
  gtk_media_file_clear (media);
  g_timeout_add_full (G_PRIORITY_LOW, DROP_DELAY_MS, drop_media_cb, media, g_object_unref);
}

static void
job_free (Job *job)
{
  if (job->media != NULL)
    {
      g_clear_signal_handler (&job->invalidate_id, job->media);
      g_clear_signal_handler (&job->error_id, job->media);
      drop_media_later (g_steal_pointer (&job->media));
    }
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_clear_handle_id (&job->finish_id, g_source_remove);
  g_clear_object (&job->frame);
  g_free (job->path);
  g_free (job);
}

static void
job_finish (Job          *job,
            GdkPaintable *frame)
{
  CfThumbnailer *self = job->self;
  g_autofree char *path = g_strdup (job->path);

  cf_thumbnailer_store (self, path, frame);
  g_hash_table_remove (self->queued, path);
  /* Frees the job. */
  g_ptr_array_remove (self->active, job);

  g_signal_emit (self, signals[READY], 0, path);
  cf_thumbnailer_pump (self);
}

static gboolean
job_finish_cb (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(GdkPaintable) frame = g_steal_pointer (&job->frame);

  job->finish_id = 0;
  job_finish (job, frame);

  return G_SOURCE_REMOVE;
}

/* The media is dropped from an idle, not from inside its own signal. */
static void
job_finish_later (Job          *job,
                  GdkPaintable *frame)
{
  if (job->finish_id != 0)
    return;

  g_clear_signal_handler (&job->invalidate_id, job->media);
  g_clear_signal_handler (&job->error_id, job->media);
  g_set_object (&job->frame, frame);
  job->finish_id = g_idle_add (job_finish_cb, job);
}

/* A small copy in memory, which holds nothing of the decoder (nor GL). */
static GdkPaintable *
shrink_frame (GdkPaintable *frame)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  int width, height;

  if (!GDK_IS_TEXTURE (frame))
    return g_object_ref (frame);

  pixbuf = gdk_pixbuf_get_from_texture (GDK_TEXTURE (frame));
  if (pixbuf == NULL)
    return NULL;

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  if (width > THUMB_WIDTH)
    {
      height = MAX (1, height * THUMB_WIDTH / width);
      width = THUMB_WIDTH;
    }
  scaled = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);

  return GDK_PAINTABLE (gdk_texture_new_for_pixbuf (scaled));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
job_invalidate_cb (GdkPaintable *paintable,
                   Job          *job)
{
  g_autoptr(GdkPaintable) frame = gdk_paintable_get_current_image (paintable);
  g_autoptr(GdkPaintable) small = NULL;

  if (gdk_paintable_get_intrinsic_width (frame) <= 0)
    return;

  small = shrink_frame (frame);
  job_finish_later (job, small);
}

static void
job_error_cb (GtkMediaStream *stream,
              GParamSpec     *pspec,
              Job            *job)
{
  if (gtk_media_stream_get_error (stream) != NULL)
    job_finish_later (job, NULL);
}

static gboolean
job_timeout_cb (gpointer user_data)
{
  Job *job = user_data;

  job->timeout_id = 0;
  job_finish (job, NULL);

  return G_SOURCE_REMOVE;
}

static void
cf_thumbnailer_pump (CfThumbnailer *self)
{
  while (self->active->len < MAX_ACTIVE && self->pending.length > 0)
    {
      /* Newest first: the cards that asked last are the ones in sight
       * now, a fast scroll leaves older requests behind. */
      g_autofree char *path = g_queue_pop_tail (&self->pending);
      Job *job = g_new0 (Job, 1);

      job->self = self;
      job->path = g_steal_pointer (&path);
      job->media = GTK_MEDIA_FILE (gtk_media_file_new ());
      job->invalidate_id = g_signal_connect (job->media, "invalidate-contents",
                                             G_CALLBACK (job_invalidate_cb), job);
      job->error_id = g_signal_connect (job->media, "notify::error",
                                        G_CALLBACK (job_error_cb), job);
      job->timeout_id = g_timeout_add_seconds (FRAME_TIMEOUT_S, job_timeout_cb, job);
      g_ptr_array_add (self->active, job);

      /* Opening prerolls the pipeline to its first frame without playing. */
      gtk_media_file_set_filename (job->media, job->path);
      /* Muted after opening: GStreamer's media file has no player before. */
      gtk_media_stream_set_muted (GTK_MEDIA_STREAM (job->media), TRUE);
    }
}

void
cf_thumbnailer_request (CfThumbnailer *self,
                        const char    *path)
{
  g_return_if_fail (CF_IS_THUMBNAILER (self));

  if (path == NULL
      || g_hash_table_contains (self->frames, path)
      || g_hash_table_contains (self->queued, path))
    return;

  g_hash_table_add (self->queued, g_strdup (path));
  g_queue_push_tail (&self->pending, g_strdup (path));
  cf_thumbnailer_pump (self);
}

static void
cf_thumbnailer_finalize (GObject *object)
{
  CfThumbnailer *self = CF_THUMBNAILER (object);

  g_clear_pointer (&self->active, g_ptr_array_unref);
  g_clear_pointer (&self->frames, g_hash_table_unref);
  g_clear_pointer (&self->queued, g_hash_table_unref);
  g_queue_clear_full (&self->order, g_free);
  g_queue_clear_full (&self->pending, g_free);

  G_OBJECT_CLASS (cf_thumbnailer_parent_class)->finalize (object);
}

static void
cf_thumbnailer_class_init (CfThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_thumbnailer_finalize;

  signals[READY] =
    g_signal_new ("ready",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cf_thumbnailer_init (CfThumbnailer *self)
{
  self->frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        clear_frame);
  self->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->active = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  g_queue_init (&self->order);
  g_queue_init (&self->pending);
}
