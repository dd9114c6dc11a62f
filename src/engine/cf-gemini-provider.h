/* cf-gemini-provider.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-provider.h"

G_BEGIN_DECLS

#define CF_TYPE_GEMINI_PROVIDER (cf_gemini_provider_get_type ())

G_DECLARE_FINAL_TYPE (CfGeminiProvider, cf_gemini_provider, CF, GEMINI_PROVIDER, GObject)

/* Keeps a copy of account; call it in the thread that will use the provider. */
CfGeminiProvider *cf_gemini_provider_new (CfAccount   *account,
                                          CfEndpoints *endpoints);

G_END_DECLS
