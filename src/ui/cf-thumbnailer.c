/* cf-thumbnailer.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-first-frame.h"
#include "cf-thumbnailer.h"

/* Clips decoded at once, each on a thread of GTask's pool. */
#define MAX_ACTIVE 2
/* Frames kept; the oldest go first. Each is small (see THUMB_WIDTH). */
#define MAX_CACHED 300
/* The cards show the frame about this wide; a full 720p frame per card
 * would hold gigabytes for a long run. */
#define THUMB_WIDTH 360

struct _CfThumbnailer
{
  GObject     parent_instance;

  GHashTable *frames;     /* path → GdkPaintable, or NULL value for failures */
  GQueue      order;      /* paths in the order they were cached */
  GQueue      pending;    /* paths waiting */
  GHashTable *queued;     /* path set of pending and active */
  GHashTable *timed_out;  /* path set of reads that ran out of time once */
  guint       n_active;
  guint       timeout_ms;
};

/* One read, with what its thread needs copied in. */
typedef struct
{
  char  *path;
  guint  timeout_ms;
} FrameRead;

static void
frame_read_free (FrameRead *read)
{
  g_free (read->path);
  g_free (read);
}

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

/* Tests give 0, no time at all, to make a read run out of time for sure. */
void
cf_thumbnailer_set_timeout (CfThumbnailer *self,
                            guint          timeout_ms)
{
  g_return_if_fail (CF_IS_THUMBNAILER (self));

  self->timeout_ms = timeout_ms;
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

static void
read_frame_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  FrameRead *read = task_data;
  GError *error = NULL;
  GdkPixbuf *frame = cf_first_frame_read (read->path, THUMB_WIDTH, read->timeout_ms,
                                          cancellable, &error);

  if (frame == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, frame, g_object_unref);
}

/* An immutable texture over the frame's pixels. cf_first_frame_read() keeps
 * them as bytes, so this shares them rather than copying. */
static GdkPaintable *
texture_for_frame (GdkPixbuf *frame)
{
  g_autoptr(GBytes) pixels = gdk_pixbuf_read_pixel_bytes (frame);

  return GDK_PAINTABLE (gdk_memory_texture_new (gdk_pixbuf_get_width (frame),
                                                gdk_pixbuf_get_height (frame),
                                                GDK_MEMORY_R8G8B8, pixels,
                                                gdk_pixbuf_get_rowstride (frame)));
}

static void
read_frame_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CfThumbnailer *self = CF_THUMBNAILER (source);
  FrameRead *read = g_task_get_task_data (G_TASK (result));
  const char *path = read->path;
  g_autoptr(GdkPixbuf) frame = NULL;
  g_autoptr(GdkPaintable) texture = NULL;
  g_autoptr(GError) error = NULL;

  self->n_active--;
  frame = g_task_propagate_pointer (G_TASK (result), &error);

  /*
   * A healthy clip can outlast the limit on a busy machine (a long run
   * saving clips, a build): it gets one more read, after the frames asked
   * for since. A damaged clip that hangs runs out of time twice, and its
   * failure is kept, like any other.
   */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
      && !g_hash_table_contains (self->timed_out, path))
    {
      g_hash_table_add (self->timed_out, g_strdup (path));
      g_debug ("No first frame yet for %s: %s; trying once more", path, error->message);
      g_queue_push_head (&self->pending, g_strdup (path));
      cf_thumbnailer_pump (self);
      return;
    }
  g_hash_table_remove (self->timed_out, path);

  if (frame != NULL)
    texture = texture_for_frame (frame);
  else
    g_debug ("No first frame for %s: %s", path, error->message);

  cf_thumbnailer_store (self, path, texture);
  g_hash_table_remove (self->queued, path);
  g_signal_emit (self, signals[READY], 0, path);
  cf_thumbnailer_pump (self);
}

/*
 * A clip is decoded on a worker thread: opening a GStreamer pipeline takes
 * tens of milliseconds (the first one, which loads GStreamer and its
 * plugins, most of a second), which on the main thread stalled the window
 * each time a card finished. The main thread only wraps the finished
 * pixels in a texture.
 */
static void
cf_thumbnailer_pump (CfThumbnailer *self)
{
  while (self->n_active < MAX_ACTIVE && self->pending.length > 0)
    {
      /* Newest first: the cards that asked last are the ones in sight
       * now, a fast scroll leaves older requests behind. */
      FrameRead *read = g_new0 (FrameRead, 1);
      g_autoptr(GTask) task = g_task_new (self, NULL, read_frame_done_cb, NULL);

      read->path = g_queue_pop_tail (&self->pending);
      read->timeout_ms = self->timeout_ms;
      g_task_set_source_tag (task, cf_thumbnailer_pump);
      g_task_set_task_data (task, read, (GDestroyNotify) frame_read_free);
      self->n_active++;
      g_task_run_in_thread (task, read_frame_thread);
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

  g_clear_pointer (&self->frames, g_hash_table_unref);
  g_clear_pointer (&self->queued, g_hash_table_unref);
  g_clear_pointer (&self->timed_out, g_hash_table_unref);
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
  self->timed_out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->timeout_ms = CF_FIRST_FRAME_TIMEOUT_MS;
  g_queue_init (&self->order);
  g_queue_init (&self->pending);
}
