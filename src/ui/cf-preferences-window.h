/* cf-preferences-window.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-account-store.h"
#include "cf-endpoints.h"

G_BEGIN_DECLS

#define CF_TYPE_PREFERENCES_WINDOW (cf_preferences_window_get_type ())

/*
 * The preferences: the accounts (added, edited, tested, imported, removed;
 * their secrets go to the store's secret store) and the defaults of a run,
 * bound to GSettings. The Test button talks to the services at endpoints:
 * Google's, or the simulator's in demo mode.
 */
G_DECLARE_FINAL_TYPE (CfPreferencesWindow, cf_preferences_window, CF, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* parent nullable; endpoints NULL: the real Google services. */
GtkWidget *cf_preferences_window_new        (GtkWindow           *parent,
                                             CfAccountStore      *store,
                                             CfEndpoints         *endpoints);
CfAccountStore *cf_preferences_window_get_store (CfPreferencesWindow *self);
/* The add or edit subpage while it is shown, else NULL (tests and screenshots use it). */
GtkWidget *cf_preferences_window_get_editor (CfPreferencesWindow *self);

G_END_DECLS
