/* cf-job-card.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-error.h"
#include "cf-job-card.h"
#include "cf-job-grid.h"
#include "cf-thumbnailer.h"
#include "cf-widget-util.h"

struct _CfJobCard
{
  GtkWidget       parent_instance;

  CfTake         *take;
  GtkMediaStream *media;
  guint           tick_id;
  guint           update_id;
  gboolean        stale;
  const char     *state_class;  /* static: from state_css_class() */

  GtkStack       *thumb_stack;
  GtkWidget      *thumb_background;
  GtkImage       *big_icon;
  GtkPicture     *picture;
  GtkWidget      *play_button;
  GtkLabel       *scene_label;
  GtkLabel       *take_label;
  GtkInscription *elapsed_label;
  GtkLabel       *title_label;
  GtkImage       *state_icon;
  GtkInscription *state_label;
  GtkLabel       *account_label;
  GtkLabel       *reason_label;
  GtkStack       *actions_stack;
  GtkWidget      *open_button;
  GtkWidget      *folder_button;
  GtkWidget      *retry_button;
};

G_DEFINE_FINAL_TYPE (CfJobCard, cf_job_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAKE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
cf_job_card_new (void)
{
  return g_object_new (CF_TYPE_JOB_CARD, NULL);
}

CfTake *
cf_job_card_get_take (CfJobCard *self)
{
  g_return_val_if_fail (CF_IS_JOB_CARD (self), NULL);

  return self->take;
}

const char *
cf_job_card_get_state_text (CfJobCard *self)
{
  g_return_val_if_fail (CF_IS_JOB_CARD (self), NULL);

  return gtk_inscription_get_text (self->state_label);
}

gboolean
cf_job_card_has_thumbnail (CfJobCard *self)
{
  g_return_val_if_fail (CF_IS_JOB_CARD (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->thumb_stack), "picture") == 0
         && gtk_picture_get_paintable (self->picture) != NULL;
}

gboolean
cf_job_card_get_playing (CfJobCard *self)
{
  g_return_val_if_fail (CF_IS_JOB_CARD (self), FALSE);

  return self->media != NULL && gtk_media_stream_get_playing (self->media);
}

const char *
cf_job_card_state_label (CfTakeState state)
{
  switch (state)
    {
    case CF_TAKE_STATE_QUEUED:      return C_("take state", "Queued");
    case CF_TAKE_STATE_SUBMITTING:  return C_("take state", "Submitting");
    case CF_TAKE_STATE_PENDING:     return C_("take state", "Waiting to render");
    case CF_TAKE_STATE_RENDERING:   return C_("take state", "Rendering");
    case CF_TAKE_STATE_DOWNLOADING: return C_("take state", "Saving");
    case CF_TAKE_STATE_DONE:        return C_("take state", "Done");
    case CF_TAKE_STATE_FAILED:      return C_("take state", "Failed");
    case CF_TAKE_STATE_TIMED_OUT:   return C_("take state", "Timed out");
    case CF_TAKE_STATE_CANCELLED:   return C_("take state", "Cancelled");
    case CF_TAKE_STATE_UNCERTAIN:   return C_("take state", "Uncertain");
    default:                        return "";
    }
}

const char *
cf_job_card_state_icon (CfTakeState state)
{
  switch (state)
    {
    case CF_TAKE_STATE_QUEUED:      return "document-open-recent-symbolic";
    case CF_TAKE_STATE_SUBMITTING:  return "mail-send-symbolic";
    case CF_TAKE_STATE_PENDING:     return "content-loading-symbolic";
    case CF_TAKE_STATE_RENDERING:   return "camera-video-symbolic";
    case CF_TAKE_STATE_DOWNLOADING: return "folder-download-symbolic";
    case CF_TAKE_STATE_DONE:        return "emblem-ok-symbolic";
    case CF_TAKE_STATE_FAILED:      return "dialog-error-symbolic";
    case CF_TAKE_STATE_TIMED_OUT:   return "alarm-symbolic";
    case CF_TAKE_STATE_CANCELLED:   return "process-stop-symbolic";
    case CF_TAKE_STATE_UNCERTAIN:   return "dialog-question-symbolic";
    default:                        return "image-missing-symbolic";
    }
}

/*
 * Tooltips come from query-tooltip, when the pointer rests on a widget:
 * gtk_widget_set_tooltip_text() asks the X server where the pointer is, a
 * round trip each time, and cards are built by the hundred and change
 * often. Measured by bench-ui-stall, it was a third of a card's cost.
 */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  CfJobCard  *self)
{
  const char *text = NULL;

  if (widget == GTK_WIDGET (self->title_label) && self->take != NULL)
    text = cf_take_get_prompt (self->take);
  else if (widget == GTK_WIDGET (self->reason_label))
    text = gtk_label_get_label (self->reason_label);
  else if (widget == self->play_button)
    text = _("Play");
  else if (widget == self->open_button)
    text = _("Open the clip in the video player");
  else if (widget == self->folder_button)
    text = _("Show in Folder");
  else if (widget == self->retry_button && self->take != NULL
           && cf_take_get_state (self->take) == CF_TAKE_STATE_TIMED_OUT)
    text = _("Ask the service again for this clip: it is paid for, so it is not made again");
  else if (widget == self->retry_button)
    text = _("Render this scene again, on another account if this one was the problem");

  if (text == NULL || text[0] == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static const char *
state_css_class (CfTakeState state)
{
  switch (state)
    {
    case CF_TAKE_STATE_QUEUED:      return "state-queued";
    case CF_TAKE_STATE_SUBMITTING:
    case CF_TAKE_STATE_PENDING:
    case CF_TAKE_STATE_RENDERING:
    case CF_TAKE_STATE_DOWNLOADING: return "state-active";
    case CF_TAKE_STATE_DONE:        return "state-done";
    case CF_TAKE_STATE_FAILED:      return "state-failed";
    case CF_TAKE_STATE_TIMED_OUT:
    case CF_TAKE_STATE_UNCERTAIN:   return "state-warning";
    case CF_TAKE_STATE_CANCELLED:
    default:                        return "state-cancelled";
    }
}

/* The widgets coloured by the state (style.css), and only those: a class on
 * the card itself would restyle every node in it at each change. */
static void
set_state_class (CfJobCard  *self,
                 const char *css_class)
{
  GtkWidget *coloured[] = {
    self->thumb_background,
    GTK_WIDGET (self->state_icon),
    GTK_WIDGET (self->state_label),
    GTK_WIDGET (self->big_icon),
    GTK_WIDGET (self->reason_label),
  };

  if (g_strcmp0 (css_class, self->state_class) == 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (coloured); i++)
    {
      if (self->state_class != NULL)
        gtk_widget_remove_css_class (coloured[i], self->state_class);
      gtk_widget_add_css_class (coloured[i], css_class);
    }
  self->state_class = css_class;
}

static gboolean
state_is_active (CfTakeState state)
{
  return state == CF_TAKE_STATE_SUBMITTING
         || state == CF_TAKE_STATE_PENDING
         || state == CF_TAKE_STATE_RENDERING
         || state == CF_TAKE_STATE_DOWNLOADING;
}

static void
stop_playing (CfJobCard *self)
{
  if (self->media == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->media, self);
  gtk_media_stream_pause (self->media);
  g_clear_object (&self->media);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "playing");
  gtk_widget_set_visible (self->play_button, TRUE);
}

static void
update_elapsed (CfJobCard *self)
{
  gint64 start, end;
  gint64 seconds;
  g_autofree char *text = NULL;

  start = cf_take_get_submitted_time (self->take);
  if (start == 0)
    start = cf_take_get_started_time (self->take);
  end = cf_take_get_finished_time (self->take);
  if (end == 0)
    end = g_get_real_time ();

  if (start == 0 || end < start)
    {
      gtk_inscription_set_text (self->elapsed_label, "");
      return;
    }

  seconds = (end - start) / G_USEC_PER_SEC;
  if (seconds >= 3600)
    text = g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
  else
    text = g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
  gtk_inscription_set_text (self->elapsed_label, text);
}

/*
 * GtkGridView keeps max-columns × 30 cards alive around the few the user
 * sees, and maps only those on screen. A big run changes all of them in
 * the same frames, and measuring some 240 cards' labels stalled the window
 * for half a second (bench-ui-stall). So a card that is not mapped only
 * remembers that it is stale, and catches up when it is mapped again
 * (scrolled into view, or its page shown).
 */
static gboolean
is_in_view (CfJobCard *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self));
}

static gboolean
tick_cb (gpointer user_data)
{
  CfJobCard *self = user_data;

  if (self->take != NULL)
    update_elapsed (self);

  return G_SOURCE_CONTINUE;
}

static void
update_thumbnail (CfJobCard *self)
{
  CfThumbnailer *thumbnailer = cf_thumbnailer_get_default ();
  const char *path = cf_take_get_file_path (self->take);
  GdkPaintable *frame;

  if (self->media != NULL)
    return;

  frame = cf_thumbnailer_lookup (thumbnailer, path);
  gtk_picture_set_paintable (self->picture, frame);

  if (frame != NULL || cf_thumbnailer_has_failed (thumbnailer, path))
    {
      /* A clip without a frame (an odd codec) can still be played. */
      gtk_stack_set_visible_child_name (self->thumb_stack, "picture");
      gtk_widget_set_visible (self->play_button, TRUE);
      return;
    }

  /* The state's icon until the first frame is there. */
  gtk_stack_set_visible_child_name (self->thumb_stack, "icon");
  if (is_in_view (self))
    cf_thumbnailer_request (thumbnailer, path);
  else
    /* A frame costs a GStreamer pipeline: only cards in sight ask, and
     * this one will when it is mapped. */
    self->stale = TRUE;
}

static void
thumbnail_ready_cb (CfJobCard     *self,
                    const char    *path,
                    CfThumbnailer *thumbnailer)
{
  if (self->take != NULL
      && cf_take_get_state (self->take) == CF_TAKE_STATE_DONE
      && g_strcmp0 (path, cf_take_get_file_path (self->take)) == 0)
    update_thumbnail (self);
}

static void
update_state (CfJobCard *self)
{
  CfTakeState state = cf_take_get_state (self->take);
  const char *reason = cf_take_get_error_reason (self->take);
  gboolean failed = state == CF_TAKE_STATE_FAILED || state == CF_TAKE_STATE_TIMED_OUT;
  gboolean done = state == CF_TAKE_STATE_DONE;
  gboolean moving;

  gtk_inscription_set_text (self->state_label, cf_job_card_state_label (state));
  cf_image_set_icon_if_changed (self->state_icon, cf_job_card_state_icon (state));
  cf_image_set_icon_if_changed (self->big_icon, cf_job_card_state_icon (state));

  set_state_class (self, state_css_class (state));

  /* Out of sight (a card bound while unmapped), a card does not count its
   * seconds: it catches up when mapped. */
  moving = state_is_active (state) && is_in_view (self);
  if (state_is_active (state) && !moving)
    self->stale = TRUE;

  if (reason == NULL && failed && cf_take_get_error_code (self->take) >= 0)
    reason = cf_error_code_describe (cf_take_get_error_code (self->take));
  cf_label_set_text_if_changed (self->reason_label, reason ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label),
                          reason != NULL && (failed || state == CF_TAKE_STATE_UNCERTAIN));

  gtk_stack_set_visible_child_name (self->actions_stack,
                                    done ? "done" : failed ? "failed" : "none");

  if (done)
    update_thumbnail (self);
  else
    {
      stop_playing (self);
      gtk_picture_set_paintable (self->picture, NULL);
      gtk_widget_set_visible (self->play_button, FALSE);
      gtk_stack_set_visible_child_name (self->thumb_stack, "icon");
    }

  /* Only cards on screen tick, and only while their take is moving. */
  if (moving && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!moving)
    g_clear_handle_id (&self->tick_id, g_source_remove);

  update_elapsed (self);
}

static void
update_texts (CfJobCard *self)
{
  g_autofree char *scene = NULL;
  g_autofree char *take = NULL;
  const char *title = cf_take_get_scene_title (self->take);
  const char *account = cf_take_get_account_name (self->take);

  /* Translators: a job card's heading, the number of the scene. */
  scene = g_strdup_printf (_("Scene %u"), cf_take_get_scene_number (self->take));
  /* Translators: which take (clip) of the scene a card shows. */
  take = g_strdup_printf (_("take %u"), cf_take_get_take_number (self->take));
  cf_label_set_text_if_changed (self->scene_label, scene);
  cf_label_set_text_if_changed (self->take_label, take);

  if (title == NULL || title[0] == '\0')
    title = cf_take_get_prompt (self->take);
  cf_label_set_text_if_changed (self->title_label, title ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, cf_take_get_prompt (self->take),
                                  -1);

  cf_label_set_text_if_changed (self->account_label, account ? account : "");
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  CfJobCard *self = CF_JOB_CARD (widget);

  self->update_id = 0;
  if (self->take == NULL)
    return G_SOURCE_REMOVE;

  if (is_in_view (self))
    {
      self->stale = FALSE;
      update_texts (self);
      update_state (self);
    }
  else
    self->stale = TRUE;

  return G_SOURCE_REMOVE;
}

static void
queue_update (CfJobCard *self)
{
  if (self->update_id == 0)
    self->update_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb, NULL, NULL);
}

static void
take_notify_cb (CfJobCard  *self,
                GParamSpec *pspec,
                CfTake     *take)
{
  /* A take changes several properties at once, and a card's labels each
   * cost a relayout: the card catches up once, on the next frame. */
  queue_update (self);
}

void
cf_job_card_set_take (CfJobCard *self,
                      CfTake    *take)
{
  g_return_if_fail (CF_IS_JOB_CARD (self));
  g_return_if_fail (take == NULL || CF_IS_TAKE (take));

  if (self->take == take)
    return;

  stop_playing (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->update_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->update_id);
      self->update_id = 0;
    }
  if (self->take != NULL)
    g_signal_handlers_disconnect_by_func (self->take, take_notify_cb, self);

  g_set_object (&self->take, take);
  self->stale = FALSE;

  if (take != NULL)
    {
      g_signal_connect_object (take, "notify", G_CALLBACK (take_notify_cb), self, G_CONNECT_SWAPPED);
      update_texts (self);
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAKE]);
}

static void
media_notify_cb (CfJobCard      *self,
                 GParamSpec     *pspec,
                 GtkMediaStream *media)
{
  if (gtk_media_stream_get_ended (media) || gtk_media_stream_get_error (media) != NULL)
    {
      stop_playing (self);
      update_thumbnail (self);
    }
}

void
cf_job_card_toggle_play (CfJobCard *self)
{
  const char *path;

  g_return_if_fail (CF_IS_JOB_CARD (self));

  if (self->media != NULL)
    {
      stop_playing (self);
      update_thumbnail (self);
      return;
    }

  if (self->take == NULL || cf_take_get_state (self->take) != CF_TAKE_STATE_DONE)
    return;
  path = cf_take_get_file_path (self->take);
  if (path == NULL)
    return;

  self->media = gtk_media_file_new_for_filename (path);
  g_signal_connect_object (self->media, "notify::ended", G_CALLBACK (media_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "notify::error", G_CALLBACK (media_notify_cb), self, G_CONNECT_SWAPPED);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->media));
  gtk_stack_set_visible_child_name (self->thumb_stack, "picture");
  gtk_widget_set_visible (self->play_button, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "playing");
  gtk_media_stream_play (self->media);
}

static void
picture_pressed_cb (CfJobCard       *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  cf_job_card_toggle_play (self);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  cf_job_card_toggle_play (CF_JOB_CARD (widget));
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CfJobCard *self = CF_JOB_CARD (widget);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root;

  if (self->take == NULL || cf_take_get_file_path (self->take) == NULL)
    return;

  file = g_file_new_for_path (cf_take_get_file_path (self->take));
  uri = g_file_get_uri (file);
  root = gtk_widget_get_root (widget);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
show_items_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      /* No file manager that can point at a file: open its folder instead. */
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *uri = g_file_get_uri (parent);

      g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
    }
}

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CfJobCard *self = CF_JOB_CARD (widget);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  const char *uris[2] = { NULL, NULL };

  if (self->take == NULL || cf_take_get_file_path (self->take) == NULL)
    return;

  file = g_file_new_for_path (cf_take_get_file_path (self->take));
  uri = g_file_get_uri (file);
  uris[0] = uri;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *parent_uri = g_file_get_uri (parent);

      g_app_info_launch_default_for_uri_async (parent_uri, NULL, NULL, NULL, NULL);
      return;
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          show_items_cb, g_steal_pointer (&file));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CfJobCard *self = CF_JOB_CARD (widget);
  GtkWidget *grid = gtk_widget_get_ancestor (widget, CF_TYPE_JOB_GRID);

  if (grid != NULL && self->take != NULL)
    cf_job_grid_request_retry (CF_JOB_GRID (grid), self->take);
}

static void
cf_job_card_dispose (GObject *object)
{
  CfJobCard *self = CF_JOB_CARD (object);
  GtkWidget *child;

  stop_playing (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->update_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->update_id);
      self->update_id = 0;
    }
  if (self->take != NULL)
    g_signal_handlers_disconnect_by_func (self->take, take_notify_cb, self);
  g_clear_object (&self->take);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_JOB_CARD);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cf_job_card_parent_class)->dispose (object);
}

static void
cf_job_card_map (GtkWidget *widget)
{
  CfJobCard *self = CF_JOB_CARD (widget);

  GTK_WIDGET_CLASS (cf_job_card_parent_class)->map (widget);

  if (self->stale)
    queue_update (self);
}

/* Out of sight, a card does not count its seconds; update_state() starts
 * again. */
static void
cf_job_card_unmap (GtkWidget *widget)
{
  CfJobCard *self = CF_JOB_CARD (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->stale = TRUE;

  GTK_WIDGET_CLASS (cf_job_card_parent_class)->unmap (widget);
}

static void
cf_job_card_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CfJobCard *self = CF_JOB_CARD (object);

  switch (prop_id)
    {
    case PROP_TAKE:
      g_value_set_object (value, self->take);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_job_card_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CfJobCard *self = CF_JOB_CARD (object);

  switch (prop_id)
    {
    case PROP_TAKE:
      cf_job_card_set_take (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_job_card_class_init (CfJobCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_job_card_dispose;
  object_class->get_property = cf_job_card_get_property;
  object_class->set_property = cf_job_card_set_property;

  properties[PROP_TAKE] =
    g_param_spec_object ("take", NULL, NULL,
                         CF_TYPE_TAKE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = cf_job_card_map;
  widget_class->unmap = cf_job_card_unmap;

  gtk_widget_class_set_css_name (widget_class, "jobcard");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-job-card.ui");
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, thumb_stack);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, thumb_background);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, big_icon);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, picture);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, play_button);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, scene_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, take_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, state_icon);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, state_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, account_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, actions_stack);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, open_button);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, folder_button);
  gtk_widget_class_bind_template_child (widget_class, CfJobCard, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, picture_pressed_cb);

  gtk_widget_class_install_action (widget_class, "card.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "card.open-file", NULL, open_file_action);
  gtk_widget_class_install_action (widget_class, "card.show-in-folder", NULL, show_in_folder_action);
  gtk_widget_class_install_action (widget_class, "card.retry", NULL, retry_action);
}

static void
cf_job_card_init (CfJobCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (cf_thumbnailer_get_default (), "ready",
                           G_CALLBACK (thumbnail_ready_cb), self, G_CONNECT_SWAPPED);
}
