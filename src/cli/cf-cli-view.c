/* cf-cli-view.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cf-cli-view.h"
#include "cf-error.h"

#define BAR_WIDTH 20
#define MAX_NAME_WIDTH 20
/* At most ten redraws a second: a terminal is not a frame buffer. */
#define REDRAW_INTERVAL_MS 100

struct _CfCliView
{
  GObject        parent_instance;

  CfRun         *run;
  CfCliViewMode  mode;
  gint64         start_time;

  /* TERMINAL: lines of the live block now on screen, and whether it is stale. */
  guint          block_lines;
  guint          redraw_source;
  gboolean       dirty;
  gboolean       finished;
};

G_DEFINE_FINAL_TYPE (CfCliView, cf_cli_view, G_TYPE_OBJECT)

CfCliViewMode
cf_cli_view_mode_detect (gboolean json)
{
  const char *term = g_getenv ("TERM");

  if (json)
    return CF_CLI_VIEW_JSON;

  if (isatty (STDOUT_FILENO) && term != NULL && !g_str_equal (term, "dumb"))
    return CF_CLI_VIEW_TERMINAL;

  return CF_CLI_VIEW_PLAIN;
}

static void
print_json_node (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static JsonBuilder *
begin_event (CfCliView  *self,
             const char *type)
{
  JsonBuilder *builder = json_builder_new ();
  const char *run_id = cf_run_get_id (self->run);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  /* Milliseconds since the epoch, and the run, so that logs of several runs can be merged. */
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, g_get_real_time () / 1000);
  if (run_id != NULL)
    {
      json_builder_set_member_name (builder, "run_id");
      json_builder_add_string_value (builder, run_id);
    }

  return builder;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static const char *
health_to_string (CfAccountHealth health)
{
  switch (health)
    {
    case CF_ACCOUNT_HEALTH_READY:
      return "ready";
    case CF_ACCOUNT_HEALTH_BACKING_OFF:
      return "backing-off";
    case CF_ACCOUNT_HEALTH_OUT:
      return "out";
    default:
      return "unknown";
    }
}

static guint
terminal_width (void)
{
  struct winsize size;

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
    return size.ws_col;

  return 80;
}

/* Cuts a line to the terminal's width, so that no line wraps and the cursor arithmetic holds. */
static void
append_clipped (GString    *out,
                const char *line,
                guint       width)
{
  glong length = g_utf8_strlen (line, -1);

  if ((guint) length < width)
    g_string_append (out, line);
  else
    {
      const char *end = g_utf8_offset_to_pointer (line, width - 2);

      g_string_append_len (out, line, end - line);
      g_string_append (out, "…");
    }
  g_string_append_c (out, '\n');
}

static void
append_bar (GString *line,
            guint    done,
            guint    total)
{
  guint filled = total > 0 ? MIN (BAR_WIDTH, done * BAR_WIDTH / total) : 0;

  g_string_append_c (line, '[');
  for (guint i = 0; i < BAR_WIDTH; i++)
    g_string_append_c (line, i < filled ? '#' : '.');
  g_string_append_c (line, ']');
}

static void
erase_block (CfCliView *self)
{
  if (self->block_lines > 0)
    {
      printf ("\033[%uA\033[J", self->block_lines);
      self->block_lines = 0;
    }
}

static void
draw_block (CfCliView *self)
{
  GListModel *accounts = cf_run_get_accounts (self->run);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  guint n = g_list_model_get_n_items (accounts);
  guint width = terminal_width ();
  guint name_width = 5;
  gint64 now = g_get_real_time ();
  gint64 elapsed = (now - self->start_time) / G_USEC_PER_SEC;
  guint lines = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfRunAccount) account = g_list_model_get_item (accounts, i);

      name_width = MAX (name_width, g_utf8_strlen (cf_run_account_get_name (account), -1));
    }
  name_width = MIN (name_width, MAX_NAME_WIDTH);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfRunAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *name = g_utf8_substring (cf_run_account_get_name (account), 0,
                                                name_width);
      guint done = cf_run_account_get_done (account);
      guint taken = cf_run_account_get_taken (account);
      gint64 credits = cf_run_account_get_credits (account);

      g_string_printf (line, "  %-*s ", (int) (name_width + strlen (name)
                                                - g_utf8_strlen (name, -1)), name);
      append_bar (line, done, taken);
      g_string_append_printf (line, " %3u/%-3u  %u/%u in flight  ", done, taken,
                              cf_run_account_get_in_flight (account),
                              cf_run_account_get_limit (account));
      if (credits >= 0)
        g_string_append_printf (line, _("%lld credits  "), (long long) credits);

      switch (cf_run_account_get_health (account))
        {
        case CF_ACCOUNT_HEALTH_BACKING_OFF:
          {
            gint64 left = (cf_run_account_get_backoff_until (account) - now) / G_USEC_PER_SEC;

            g_string_append_printf (line, _("waiting %lld s"), (long long) MAX (left, 0));
          }
          break;
        case CF_ACCOUNT_HEALTH_OUT:
          g_string_append_printf (line, _("OUT: %s"),
                                  cf_run_account_get_out_reason (account) != NULL
                                  ? cf_run_account_get_out_reason (account) : "");
          break;
        case CF_ACCOUNT_HEALTH_READY:
        default:
          g_string_append (line, cf_run_account_get_in_flight (account) > 0
                           ? _("rendering") : _("ready"));
          break;
        }

      append_clipped (out, line->str, width);
      lines++;
    }

  g_string_printf (line, "  %-*s ", (int) name_width, _("Total"));
  append_bar (line, cf_run_get_n_done (self->run) + cf_run_get_n_failed (self->run),
              cf_run_get_n_total (self->run));
  g_string_append_printf (line, _(" %3u/%-3u  %u failed  %02lld:%02lld  %s"),
                          cf_run_get_n_done (self->run), cf_run_get_n_total (self->run),
                          cf_run_get_n_failed (self->run),
                          (long long) (elapsed / 60), (long long) (elapsed % 60),
                          cf_run_state_to_string (cf_run_get_state (self->run)));
  append_clipped (out, line->str, width);
  lines++;

  fputs (out->str, stdout);
  fflush (stdout);
  self->block_lines = lines;
}

static void
redraw (CfCliView *self)
{
  erase_block (self);
  draw_block (self);
  self->dirty = FALSE;
}

static gboolean
redraw_cb (gpointer user_data)
{
  CfCliView *self = user_data;

  /* Redraw at least once a second for the clock and the backoff countdowns. */
  if (self->dirty || (g_get_monotonic_time () / 1000) % 1000 < REDRAW_INTERVAL_MS)
    redraw (self);

  return G_SOURCE_CONTINUE;
}

static void
print_line (CfCliView  *self,
            const char *text)
{
  switch (self->mode)
    {
    case CF_CLI_VIEW_JSON:
      {
        g_autoptr(JsonBuilder) builder = begin_event (self, "log");

        add_string (builder, "line", text);
        json_builder_end_object (builder);
        print_json_node (builder);
      }
      break;

    case CF_CLI_VIEW_TERMINAL:
      /* The log scrolls above the block: take the block away, print, draw it at the next tick. */
      erase_block (self);
      fputs (text, stdout);
      fputc ('\n', stdout);
      fflush (stdout);
      self->dirty = TRUE;
      break;

    case CF_CLI_VIEW_PLAIN:
    default:
      fputs (text, stdout);
      fputc ('\n', stdout);
      fflush (stdout);
      break;
    }
}

static void
run_log_cb (CfCliView  *self,
            const char *line)
{
  print_line (self, line);
}

static void
take_changed_cb (CfCliView *self,
                 CfTake    *take)
{
  if (self->mode == CF_CLI_VIEW_JSON)
    {
      g_autoptr(JsonBuilder) builder = begin_event (self, "take");
      int code = cf_take_get_error_code (take);

      add_int (builder, "scene", cf_take_get_scene_number (take));
      add_int (builder, "take", cf_take_get_take_number (take));
      add_string (builder, "state", cf_take_state_to_string (cf_take_get_state (take)));
      add_string (builder, "account", cf_take_get_account_name (take));
      add_string (builder, "file", cf_take_get_file_path (take));
      add_string (builder, "error", code >= 0 ? cf_error_code_to_string (code) : NULL);
      add_string (builder, "reason", cf_take_get_error_reason (take));
      add_int (builder, "credits", cf_take_get_credits (take));
      add_int (builder, "attempts", cf_take_get_attempts (take));
      json_builder_end_object (builder);
      print_json_node (builder);
    }
  else
    self->dirty = TRUE;
}

static void
account_changed_cb (CfCliView    *self,
                    CfRunAccount *account)
{
  if (self->mode == CF_CLI_VIEW_JSON)
    {
      g_autoptr(JsonBuilder) builder = begin_event (self, "account");
      int code = cf_run_account_get_out_code (account);

      add_string (builder, "name", cf_run_account_get_name (account));
      add_string (builder, "id", cf_run_account_get_id (account));
      add_string (builder, "health", health_to_string (cf_run_account_get_health (account)));
      add_int (builder, "in_flight", cf_run_account_get_in_flight (account));
      add_int (builder, "limit", cf_run_account_get_limit (account));
      add_int (builder, "done", cf_run_account_get_done (account));
      add_int (builder, "failed", cf_run_account_get_failed (account));
      add_int (builder, "taken", cf_run_account_get_taken (account));
      add_int (builder, "credits", cf_run_account_get_credits (account));
      add_string (builder, "out_code", code >= 0 ? cf_error_code_to_string (code) : NULL);
      add_string (builder, "out_reason", cf_run_account_get_out_reason (account));
      json_builder_end_object (builder);
      print_json_node (builder);
    }
  else
    self->dirty = TRUE;
}

static void
progress_cb (CfCliView *self,
             guint      done,
             guint      failed,
             guint      total)
{
  if (self->mode == CF_CLI_VIEW_JSON)
    {
      g_autoptr(JsonBuilder) builder = begin_event (self, "progress");

      add_int (builder, "done", done);
      add_int (builder, "failed", failed);
      add_int (builder, "total", total);
      json_builder_end_object (builder);
      print_json_node (builder);
    }
  else
    self->dirty = TRUE;
}

static void
cf_cli_view_dispose (GObject *object)
{
  CfCliView *self = CF_CLI_VIEW (object);

  g_clear_handle_id (&self->redraw_source, g_source_remove);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (cf_cli_view_parent_class)->dispose (object);
}

static void
cf_cli_view_class_init (CfCliViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_cli_view_dispose;
}

static void
cf_cli_view_init (CfCliView *self)
{
  self->start_time = g_get_real_time ();
}

CfCliView *
cf_cli_view_new (CfRun         *run,
                 CfCliViewMode  mode)
{
  CfCliView *self;

  g_return_val_if_fail (CF_IS_RUN (run), NULL);

  self = g_object_new (CF_TYPE_CLI_VIEW, NULL);
  self->run = g_object_ref (run);
  self->mode = mode;

  g_signal_connect_object (run, "log", G_CALLBACK (run_log_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "take-changed", G_CALLBACK (take_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "account-changed", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "progress", G_CALLBACK (progress_cb), self,
                           G_CONNECT_SWAPPED);

  if (mode == CF_CLI_VIEW_TERMINAL)
    {
      self->redraw_source = g_timeout_add (REDRAW_INTERVAL_MS, redraw_cb, self);
      self->dirty = TRUE;
    }

  return self;
}

void
cf_cli_view_log (CfCliView  *self,
                 const char *line)
{
  g_return_if_fail (CF_IS_CLI_VIEW (self));

  print_line (self, line);
}

/* What went wrong with a take that did not end DONE, in one sentence. */
static char *
describe_take_failure (CfTake *take)
{
  int code = cf_take_get_error_code (take);
  const char *reason = cf_take_get_error_reason (take);
  CfTakeState state = cf_take_get_state (take);

  if (reason != NULL && code >= 0)
    return g_strdup_printf ("%s: %s", cf_error_code_describe (code), reason);
  if (reason != NULL)
    return g_strdup (reason);
  if (code >= 0)
    return g_strdup (cf_error_code_describe (code));

  return g_strdup (cf_take_state_to_string (state));
}

void
cf_cli_view_finish (CfCliView  *self,
                    int         exit_status,
                    const char *message)
{
  GListModel *takes;
  guint n;

  g_return_if_fail (CF_IS_CLI_VIEW (self));

  if (self->finished)
    return;
  self->finished = TRUE;

  takes = cf_run_get_takes (self->run);
  n = g_list_model_get_n_items (takes);

  if (self->mode == CF_CLI_VIEW_TERMINAL)
    {
      g_clear_handle_id (&self->redraw_source, g_source_remove);
      /* Leave the final state of the block on screen. */
      redraw (self);
      self->block_lines = 0;
    }

  if (self->mode == CF_CLI_VIEW_JSON)
    {
      g_autoptr(JsonBuilder) builder = begin_event (self, "finished");

      add_string (builder, "run_id", cf_run_get_id (self->run));
      add_string (builder, "state", cf_run_state_to_string (cf_run_get_state (self->run)));
      add_int (builder, "exit_status", exit_status);
      add_int (builder, "done", cf_run_get_n_done (self->run));
      add_int (builder, "failed", cf_run_get_n_failed (self->run));
      add_int (builder, "total", cf_run_get_n_total (self->run));
      add_string (builder, "message", message);
      json_builder_set_member_name (builder, "failed_takes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CfTake) take = g_list_model_get_item (takes, i);
          int code = cf_take_get_error_code (take);

          if (cf_take_get_state (take) == CF_TAKE_STATE_DONE)
            continue;

          json_builder_begin_object (builder);
          add_int (builder, "scene", cf_take_get_scene_number (take));
          add_int (builder, "take", cf_take_get_take_number (take));
          add_string (builder, "state", cf_take_state_to_string (cf_take_get_state (take)));
          add_string (builder, "error", code >= 0 ? cf_error_code_to_string (code) : NULL);
          add_string (builder, "reason", cf_take_get_error_reason (take));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json_node (builder);
      return;
    }

  /* The failed scenes, with their reasons, only when some did fail. */
  if (exit_status == 1)
    {
      g_print (_("Failed scenes:\n"));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CfTake) take = g_list_model_get_item (takes, i);
          g_autofree char *why = NULL;
          const char *title;

          if (cf_take_get_state (take) == CF_TAKE_STATE_DONE)
            continue;

          why = describe_take_failure (take);
          title = cf_take_get_scene_title (take);
          if (title != NULL && *title != '\0')
            g_print (_("  Scene %u “%s”, take %u: %s\n"), cf_take_get_scene_number (take),
                     title, cf_take_get_take_number (take), why);
          else
            g_print (_("  Scene %u, take %u: %s\n"), cf_take_get_scene_number (take),
                     cf_take_get_take_number (take), why);
        }
    }

  if (message != NULL)
    g_print ("%s\n", message);
  fflush (stdout);
}
