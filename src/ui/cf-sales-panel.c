/* cf-sales-panel.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cf-sales-panel.h"

#define N_FEATURE_ROWS 5

struct _CfSalesPanel
{
  GtkWidget      parent_instance;

  CfScript      *script;

  AdwEntryRow   *product_row;
  AdwEntryRow   *description_row;
  AdwEntryRow   *feature_rows[N_FEATURE_ROWS];
  AdwEntryRow   *audience_row;
  AdwEntryRow   *offer_row;
  AdwEntryRow   *cta_row;
  AdwEntryRow   *style_row;
  GtkSpinButton *scenes_spin;
  AdwComboRow   *aspect_row;
  CfSceneEditor *editor;
  CfRunOptions  *run_options;
  GtkWidget     *script_box;
};

G_DEFINE_FINAL_TYPE (CfSalesPanel, cf_sales_panel, GTK_TYPE_WIDGET)

static const CfAspect aspects[] = {
  CF_ASPECT_PORTRAIT,
  CF_ASPECT_LANDSCAPE,
  CF_ASPECT_SQUARE,
};

GtkWidget *
cf_sales_panel_new (void)
{
  return g_object_new (CF_TYPE_SALES_PANEL, NULL);
}

CfScript *
cf_sales_panel_get_script (CfSalesPanel *self)
{
  g_return_val_if_fail (CF_IS_SALES_PANEL (self), NULL);

  return self->script;
}

CfRunOptions *
cf_sales_panel_get_run_options (CfSalesPanel *self)
{
  g_return_val_if_fail (CF_IS_SALES_PANEL (self), NULL);

  return self->run_options;
}

CfSceneEditor *
cf_sales_panel_get_editor (CfSalesPanel *self)
{
  g_return_val_if_fail (CF_IS_SALES_PANEL (self), NULL);

  return self->editor;
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* Scene titles follow the user's language where the engine knows it. */
static const char *
title_language (void)
{
  const char * const *languages = g_get_language_names ();

  if (languages[0] != NULL && g_str_has_prefix (languages[0], "vi"))
    return "vi";
  return "en";
}

CfSalesBrief *
cf_sales_panel_dup_brief (CfSalesPanel *self)
{
  CfSalesBrief *brief;
  g_autoptr(GPtrArray) features = g_ptr_array_new_with_free_func (g_free);
  guint selected;

  g_return_val_if_fail (CF_IS_SALES_PANEL (self), NULL);

  brief = cf_sales_brief_new ();
  cf_sales_brief_set_product_name (brief, row_text (self->product_row));
  cf_sales_brief_set_description (brief, row_text (self->description_row));

  for (guint i = 0; i < N_FEATURE_ROWS; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (row_text (self->feature_rows[i])));

      if (text[0] != '\0')
        g_ptr_array_add (features, g_steal_pointer (&text));
    }
  g_ptr_array_add (features, NULL);
  cf_sales_brief_set_features (brief, (const char * const *) features->pdata);

  cf_sales_brief_set_audience (brief, row_text (self->audience_row));
  cf_sales_brief_set_offer (brief, row_text (self->offer_row));
  cf_sales_brief_set_call_to_action (brief, row_text (self->cta_row));
  cf_sales_brief_set_style (brief, row_text (self->style_row));
  cf_sales_brief_set_n_scenes (brief, gtk_spin_button_get_value_as_int (self->scenes_spin));

  selected = adw_combo_row_get_selected (self->aspect_row);
  cf_sales_brief_set_aspect (brief, aspects[MIN (selected, G_N_ELEMENTS (aspects) - 1)]);
  cf_sales_brief_set_language (brief, title_language ());

  return brief;
}

void
cf_sales_panel_set_brief (CfSalesPanel *self,
                          CfSalesBrief *brief)
{
  const char * const *features;
  guint i = 0;

  g_return_if_fail (CF_IS_SALES_PANEL (self));
  g_return_if_fail (CF_IS_SALES_BRIEF (brief));

  set_row_text (self->product_row, cf_sales_brief_get_product_name (brief));
  set_row_text (self->description_row, cf_sales_brief_get_description (brief));

  features = cf_sales_brief_get_features (brief);
  for (; features != NULL && features[i] != NULL && i < N_FEATURE_ROWS; i++)
    set_row_text (self->feature_rows[i], features[i]);
  for (; i < N_FEATURE_ROWS; i++)
    set_row_text (self->feature_rows[i], NULL);

  set_row_text (self->audience_row, cf_sales_brief_get_audience (brief));
  set_row_text (self->offer_row, cf_sales_brief_get_offer (brief));
  set_row_text (self->cta_row, cf_sales_brief_get_call_to_action (brief));
  set_row_text (self->style_row, cf_sales_brief_get_style (brief));
  gtk_spin_button_set_value (self->scenes_spin, cf_sales_brief_get_n_scenes (brief));

  for (guint j = 0; j < G_N_ELEMENTS (aspects); j++)
    if (cf_sales_brief_get_aspect (brief) == aspects[j])
      adw_combo_row_set_selected (self->aspect_row, j);
}

gboolean
cf_sales_panel_create_script (CfSalesPanel  *self,
                              GError       **error)
{
  g_autoptr(CfSalesBrief) brief = NULL;
  g_autoptr(CfScript) script = NULL;

  g_return_val_if_fail (CF_IS_SALES_PANEL (self), FALSE);

  brief = cf_sales_panel_dup_brief (self);
  script = cf_sales_brief_build_script (brief, error);
  if (script == NULL)
    return FALSE;

  g_set_object (&self->script, script);
  cf_scene_editor_set_script (self->editor, script);
  gtk_widget_set_visible (self->script_box, TRUE);

  return TRUE;
}

static void
create_script_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CfSalesPanel *self = CF_SALES_PANEL (widget);
  g_autoptr(GError) error = NULL;

  if (!cf_sales_panel_create_script (self, &error))
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
    }
}

static void
cf_sales_panel_dispose (GObject *object)
{
  CfSalesPanel *self = CF_SALES_PANEL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_SALES_PANEL);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->script);

  G_OBJECT_CLASS (cf_sales_panel_parent_class)->dispose (object);
}

static void
cf_sales_panel_class_init (CfSalesPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_sales_panel_dispose;

  g_type_ensure (CF_TYPE_SCENE_EDITOR);
  g_type_ensure (CF_TYPE_RUN_OPTIONS);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-sales-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, product_row);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, description_row);
  gtk_widget_class_bind_template_child_full (widget_class, "feature_row_1", FALSE,
                                             G_STRUCT_OFFSET (CfSalesPanel, feature_rows[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "feature_row_2", FALSE,
                                             G_STRUCT_OFFSET (CfSalesPanel, feature_rows[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "feature_row_3", FALSE,
                                             G_STRUCT_OFFSET (CfSalesPanel, feature_rows[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "feature_row_4", FALSE,
                                             G_STRUCT_OFFSET (CfSalesPanel, feature_rows[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "feature_row_5", FALSE,
                                             G_STRUCT_OFFSET (CfSalesPanel, feature_rows[4]));
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, audience_row);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, offer_row);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, cta_row);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, style_row);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, scenes_spin);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, editor);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, run_options);
  gtk_widget_class_bind_template_child (widget_class, CfSalesPanel, script_box);

  gtk_widget_class_install_action (widget_class, "sales.create-script", NULL, create_script_action);
}

static void
cf_sales_panel_init (CfSalesPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->script = cf_script_new ();
  cf_scene_editor_set_script (self->editor, self->script);
}
