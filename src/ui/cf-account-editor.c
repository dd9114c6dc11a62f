/* cf-account-editor.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-account-editor.h"

struct _CfAccountEditor
{
  GtkBox                parent_instance;

  CfAccountStore       *store;
  CfAccount            *account;
  /* The AdwPasswordEntryRow of each token, in order; owned by tokens_group. */
  GPtrArray            *token_rows;

  AdwWindowTitle       *window_title;
  GtkButton            *save_button;
  AdwComboRow          *kind_row;
  AdwEntryRow          *name_row;
  AdwPreferencesGroup  *project_group;
  AdwEntryRow          *project_row;
  AdwPreferencesGroup  *tokens_group;
  AdwPreferencesGroup  *key_group;
  AdwPasswordEntryRow  *key_row;
  GtkSpinButton        *in_flight_spin;
  AdwEntryRow          *model_row;
  AdwPreferencesGroup  *remove_group;
};

G_DEFINE_FINAL_TYPE (CfAccountEditor, cf_account_editor, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ACCOUNT,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void cf_account_editor_changed_cb (CfAccountEditor *self);

static CfAccountKind
cf_account_editor_get_kind (CfAccountEditor *self)
{
  return adw_combo_row_get_selected (self->kind_row) == 1 ? CF_ACCOUNT_KIND_GEMINI
                                                           : CF_ACCOUNT_KIND_LABS;
}

/* What the user typed, without the blanks a paste tends to bring along. */
static char *
cf_account_editor_dup_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

/* A token as copied from a browser's request headers may keep its "Bearer " prefix. */
static char *
cf_account_editor_dup_token (gpointer editable)
{
  g_autofree char *text = cf_account_editor_dup_text (editable);

  if (g_ascii_strncasecmp (text, "Bearer ", strlen ("Bearer ")) == 0)
    return g_strstrip (g_strdup (text + strlen ("Bearer ")));

  return g_steal_pointer (&text);
}

static GStrv
cf_account_editor_dup_tokens (CfAccountEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->token_rows->len; i++)
    {
      g_autofree char *token = cf_account_editor_dup_token (g_ptr_array_index (self->token_rows, i));

      if (*token != '\0')
        g_strv_builder_add (builder, token);
    }

  return g_strv_builder_end (builder);
}

static void
cf_account_editor_renumber_tokens (CfAccountEditor *self)
{
  for (guint i = 0; i < self->token_rows->len; i++)
    {
      g_autofree char *title = NULL;

      /* Translators: the title of an access token's entry, %u is 1, 2, 3... */
      title = g_strdup_printf (_("Token %u"), i + 1);
      adw_preferences_row_set_title (g_ptr_array_index (self->token_rows, i), title);
    }
}

static void
cf_account_editor_remove_token_clicked_cb (CfAccountEditor *self,
                                           GtkButton       *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ENTRY_ROW);

  g_assert (row != NULL);

  /* One entry always stays, so that there is somewhere to paste a token. */
  if (self->token_rows->len <= 1)
    {
      gtk_editable_set_text (GTK_EDITABLE (row), "");
      return;
    }

  g_ptr_array_remove (self->token_rows, row);
  adw_preferences_group_remove (self->tokens_group, row);
  cf_account_editor_renumber_tokens (self);
  cf_account_editor_changed_cb (self);
}

static void
cf_account_editor_entry_activated_cb (CfAccountEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static GtkWidget *
cf_account_editor_add_token_row (CfAccountEditor *self,
                                 const char      *token)
{
  GtkWidget *row = adw_password_entry_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove Token"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Token"),
                                  -1);
  g_signal_connect_object (button, "clicked",
                           G_CALLBACK (cf_account_editor_remove_token_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);

  if (token != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), token);
  g_signal_connect_object (row, "changed", G_CALLBACK (cf_account_editor_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "entry-activated",
                           G_CALLBACK (cf_account_editor_entry_activated_cb),
                           self, G_CONNECT_SWAPPED);

  adw_preferences_group_add (self->tokens_group, row);
  g_ptr_array_add (self->token_rows, row);
  cf_account_editor_renumber_tokens (self);

  return row;
}

/*
 * Whether the fields make a usable account. A name another account already
 * has is marked on its row: runs, logs and the command line name accounts.
 */
static gboolean
cf_account_editor_validate (CfAccountEditor *self)
{
  g_autofree char *name = cf_account_editor_dup_text (self->name_row);
  CfAccount *other = NULL;
  gboolean valid = TRUE;

  if (*name != '\0')
    other = cf_account_store_find (self->store, name);

  if (other != NULL && other != self->account)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row),
                                   _("Another account already has this name"));
      valid = FALSE;
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), NULL);
    }

  if (*name == '\0')
    valid = FALSE;

  if (cf_account_editor_get_kind (self) == CF_ACCOUNT_KIND_LABS)
    {
      g_autofree char *project = cf_account_editor_dup_text (self->project_row);
      g_auto(GStrv) tokens = cf_account_editor_dup_tokens (self);

      if (*project == '\0' || tokens[0] == NULL)
        valid = FALSE;
    }
  else
    {
      g_autofree char *key = cf_account_editor_dup_text (self->key_row);

      if (*key == '\0')
        valid = FALSE;
    }

  return valid;
}

static void
cf_account_editor_changed_cb (CfAccountEditor *self)
{
  /* The template's rows report changes before the construct properties are set. */
  if (self->store == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 cf_account_editor_validate (self));
}

static void
cf_account_editor_kind_changed_cb (CfAccountEditor *self)
{
  gboolean labs = cf_account_editor_get_kind (self) == CF_ACCOUNT_KIND_LABS;

  gtk_widget_set_visible (GTK_WIDGET (self->project_group), labs);
  gtk_widget_set_visible (GTK_WIDGET (self->tokens_group), labs);
  gtk_widget_set_visible (GTK_WIDGET (self->key_group), !labs);
  cf_account_editor_changed_cb (self);
}

static void
cf_account_editor_toast (CfAccountEditor *self,
                         const char      *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  /* A toast's title is Pango markup; an account's name is plain text. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (escaped));
}

static void
cf_account_editor_save (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CfAccountEditor *self = CF_ACCOUNT_EDITOR (widget);
  g_autoptr(CfAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *model = NULL;
  g_autofree char *message = NULL;
  CfAccountKind kind;
  gboolean adding = self->account == NULL;

  if (!cf_account_editor_validate (self))
    return;

  kind = cf_account_editor_get_kind (self);
  name = cf_account_editor_dup_text (self->name_row);
  model = cf_account_editor_dup_text (self->model_row);

  account = adding ? cf_account_new (kind, name) : g_object_ref (self->account);
  cf_account_set_kind (account, kind);
  cf_account_set_name (account, name);
  cf_account_set_max_in_flight (account, gtk_spin_button_get_value_as_int (self->in_flight_spin));
  cf_account_set_model_key (account, *model != '\0' ? model : NULL);

  /* Only the secrets of the account's kind are kept: a key left over from
   * a Gemini account must not linger in the keyring of a Labs one. */
  if (kind == CF_ACCOUNT_KIND_LABS)
    {
      g_autofree char *project = cf_account_editor_dup_text (self->project_row);
      g_auto(GStrv) tokens = cf_account_editor_dup_tokens (self);

      cf_account_set_project_id (account, project);
      cf_account_set_tokens (account, (const char * const *)tokens);
      cf_account_set_api_key (account, NULL);
    }
  else
    {
      g_autofree char *key = cf_account_editor_dup_text (self->key_row);
      const char * const no_tokens[] = { NULL };

      cf_account_set_api_key (account, key);
      cf_account_set_tokens (account, no_tokens);
    }

  if (adding)
    cf_account_store_add (self->store, account);

  if (!cf_account_store_save (self->store, NULL, &error))
    {
      /* Nothing half-added stays behind: the list shows what is stored. */
      if (adding)
        cf_account_store_remove (self->store, account, NULL, NULL);

      message = g_strdup_printf (_("The account could not be saved: %s"), error->message);
      cf_account_editor_toast (self, message);
      return;
    }

  if (adding)
    /* Translators: %s is an account's name */
    message = g_strdup_printf (_("“%s” added"), name);
  else
    /* Translators: %s is an account's name */
    message = g_strdup_printf (_("“%s” saved"), name);
  cf_account_editor_toast (self, message);

  g_signal_emit (self, signals[DONE], 0);
}

static void
cf_account_editor_cancel (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

static void
cf_account_editor_add_token (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CfAccountEditor *self = CF_ACCOUNT_EDITOR (widget);
  GtkWidget *row = cf_account_editor_add_token_row (self, NULL);

  gtk_widget_grab_focus (row);
  cf_account_editor_changed_cb (self);
}

static void
cf_account_editor_remove (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CfAccountEditor *self = CF_ACCOUNT_EDITOR (widget);

  /* The preferences window asks for confirmation and closes this page. */
  if (self->account != NULL)
    gtk_widget_activate_action (widget, "prefs.remove-account", "s",
                                cf_account_get_id (self->account));
}

static void
cf_account_editor_load (CfAccountEditor *self)
{
  CfAccount *account = self->account;
  const char * const *tokens;

  if (account == NULL)
    {
      cf_account_editor_add_token_row (self, NULL);
      return;
    }

  adw_window_title_set_title (self->window_title, _("Edit Account"));
  gtk_button_set_label (self->save_button, _("_Save"));
  gtk_widget_set_visible (GTK_WIDGET (self->remove_group), TRUE);

  adw_combo_row_set_selected (self->kind_row,
                              cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), cf_account_get_name (account));
  if (cf_account_get_project_id (account) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->project_row), cf_account_get_project_id (account));
  if (cf_account_get_api_key (account) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->key_row), cf_account_get_api_key (account));
  if (cf_account_get_model_key (account) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->model_row), cf_account_get_model_key (account));
  gtk_spin_button_set_value (self->in_flight_spin, cf_account_get_max_in_flight (account));

  tokens = cf_account_get_tokens (account);
  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    cf_account_editor_add_token_row (self, tokens[i]);
  if (self->token_rows->len == 0)
    cf_account_editor_add_token_row (self, NULL);
}

static void
cf_account_editor_constructed (GObject *object)
{
  CfAccountEditor *self = (CfAccountEditor *)object;

  G_OBJECT_CLASS (cf_account_editor_parent_class)->constructed (object);

  g_assert (CF_IS_ACCOUNT_STORE (self->store));

  cf_account_editor_load (self);
  cf_account_editor_kind_changed_cb (self);
}

static void
cf_account_editor_dispose (GObject *object)
{
  CfAccountEditor *self = (CfAccountEditor *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_ACCOUNT_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (cf_account_editor_parent_class)->dispose (object);
}

static void
cf_account_editor_finalize (GObject *object)
{
  CfAccountEditor *self = (CfAccountEditor *)object;

  g_clear_pointer (&self->token_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cf_account_editor_parent_class)->finalize (object);
}

static void
cf_account_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CfAccountEditor *self = CF_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CfAccountEditor *self = CF_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_editor_class_init (CfAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cf_account_editor_constructed;
  object_class->dispose = cf_account_editor_dispose;
  object_class->finalize = cf_account_editor_finalize;
  object_class->get_property = cf_account_editor_get_property;
  object_class->set_property = cf_account_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CF_TYPE_ACCOUNT_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         CF_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CfAccountEditor::done:
   *
   * The account was saved, or the user went back without saving: either
   * way the page has nothing more to do.
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipfleet/Clipfleet/cf-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, project_group);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, project_row);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, tokens_group);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, key_group);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, in_flight_spin);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, model_row);
  gtk_widget_class_bind_template_child (widget_class, CfAccountEditor, remove_group);
  gtk_widget_class_bind_template_callback (widget_class, cf_account_editor_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cf_account_editor_kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cf_account_editor_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, cf_account_editor_save);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cf_account_editor_cancel);
  gtk_widget_class_install_action (widget_class, "editor.add-token", NULL,
                                   cf_account_editor_add_token);
  gtk_widget_class_install_action (widget_class, "editor.remove", NULL, cf_account_editor_remove);

  /* The keys of a subpage elsewhere in GNOME: Escape or Alt+Left go back. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
cf_account_editor_init (CfAccountEditor *self)
{
  self->token_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cf_account_editor_new (CfAccountStore *store,
                       CfAccount      *account)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (account == NULL || CF_IS_ACCOUNT (account), NULL);

  return g_object_new (CF_TYPE_ACCOUNT_EDITOR,
                       "store", store,
                       "account", account,
                       NULL);
}

CfAccount *
cf_account_editor_get_account (CfAccountEditor *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT_EDITOR (self), NULL);

  return self->account;
}
