/* cf-take-handle.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CF_TYPE_TAKE_HANDLE (cf_take_handle_get_type ())

/* Which answer shape gave us the handle; polls must echo the same shape. */
typedef enum
{
  CF_HANDLE_SHAPE_LABS_OPERATION,  /* labs-flow.md section 3, shape A */
  CF_HANDLE_SHAPE_LABS_MEDIA,      /* labs-flow.md section 3, shape B */
  CF_HANDLE_SHAPE_GEMINI,          /* gemini-veo.md long-running operation */
} CfHandleShape;

/*
 * The only handle on a paid generation: one take. Persisted in the run
 * journal the moment it is known, so that after a crash the take is polled
 * again, never submitted again.
 */
typedef struct
{
  CfHandleShape  shape;
  char          *name;          /* operation name, media name, or Gemini operation name */
  char          *client_id;     /* labs: the sceneId UUID we made; NULL for Gemini */
  char          *project_id;    /* labs: the project it belongs to (shape B polls need it) */
  guint          sample_index;  /* Gemini: which sample of the operation; 0 on labs */
  gint64         seed;          /* -1 when unknown */
} CfTakeHandle;

GType         cf_take_handle_get_type  (void) G_GNUC_CONST;
CfTakeHandle *cf_take_handle_new       (CfHandleShape       shape,
                                        const char         *name);
CfTakeHandle *cf_take_handle_copy      (const CfTakeHandle *self);
void          cf_take_handle_free      (CfTakeHandle       *self);

JsonNode     *cf_take_handle_to_json   (const CfTakeHandle *self);
/* NULL with CF_ERROR_BAD_INPUT when the node is not a handle. */
CfTakeHandle *cf_take_handle_from_json (JsonNode           *node,
                                        GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTakeHandle, cf_take_handle_free)

G_END_DECLS
