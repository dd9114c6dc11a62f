/* cf-sales-brief.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cf-script.h"

G_BEGIN_DECLS

#define CF_TYPE_SALES_BRIEF (cf_sales_brief_get_type ())

/* What the user tells us about a product; cf_sales_brief_build_script() turns it into scenes. */
G_DECLARE_FINAL_TYPE (CfSalesBrief, cf_sales_brief, CF, SALES_BRIEF, GObject)

CfSalesBrief       *cf_sales_brief_new              (void);

const char         *cf_sales_brief_get_product_name (CfSalesBrief *self);
void                cf_sales_brief_set_product_name (CfSalesBrief *self,
                                                     const char   *product_name);
const char         *cf_sales_brief_get_description  (CfSalesBrief *self);
void                cf_sales_brief_set_description  (CfSalesBrief *self,
                                                     const char   *description);
/* 3 to 5 features. */
const char * const *cf_sales_brief_get_features     (CfSalesBrief *self);
void                cf_sales_brief_set_features     (CfSalesBrief *self,
                                                     const char * const *features);
const char         *cf_sales_brief_get_audience     (CfSalesBrief *self);
void                cf_sales_brief_set_audience     (CfSalesBrief *self,
                                                     const char   *audience);
const char         *cf_sales_brief_get_offer        (CfSalesBrief *self);
void                cf_sales_brief_set_offer        (CfSalesBrief *self,
                                                     const char   *offer);
const char         *cf_sales_brief_get_call_to_action (CfSalesBrief *self);
void                cf_sales_brief_set_call_to_action (CfSalesBrief *self,
                                                       const char   *call_to_action);
const char         *cf_sales_brief_get_style        (CfSalesBrief *self);
void                cf_sales_brief_set_style        (CfSalesBrief *self,
                                                     const char   *style);
/* 3 to 12. */
guint               cf_sales_brief_get_n_scenes     (CfSalesBrief *self);
void                cf_sales_brief_set_n_scenes     (CfSalesBrief *self,
                                                     guint         n_scenes);
CfAspect            cf_sales_brief_get_aspect       (CfSalesBrief *self);
void                cf_sales_brief_set_aspect       (CfSalesBrief *self,
                                                     CfAspect      aspect);
/* "en" or "vi": the language of scene titles (prompts are always English). */
const char         *cf_sales_brief_get_language     (CfSalesBrief *self);
void                cf_sales_brief_set_language     (CfSalesBrief *self,
                                                     const char   *language);

/* FALSE with CF_ERROR_BAD_INPUT naming the field that is missing or out of range. */
gboolean            cf_sales_brief_validate         (CfSalesBrief *self,
                                                     GError      **error);
/* Deterministic: the same brief always gives the same script. */
CfScript           *cf_sales_brief_build_script     (CfSalesBrief *self,
                                                     GError      **error);

G_END_DECLS
