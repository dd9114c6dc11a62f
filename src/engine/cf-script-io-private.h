/* cf-script-io-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-script-io.h"

G_BEGIN_DECLS

/* Beyond these a file is refused: it is not a script a person wrote. */
#define CF_SCRIPT_MAX_FILE_SIZE (10 * 1024 * 1024)
#define CF_SCRIPT_MAX_SCENES    10000
#define CF_SCRIPT_MAX_TAKES     4
#define CF_SCRIPT_MAX_SEED      G_GINT64_CONSTANT (2147483647)

/* The current version of the JSON schema; see the README. */
#define CF_SCRIPT_JSON_VERSION  1

typedef struct
{
  char  *text;
  guint  line;   /* 1-based line of the paragraph's first line */
} CfParagraph;

/*
 * Splits valid UTF-8 text into paragraphs separated by whitespace-only lines.
 * When title is not NULL, a first line starting with "#" is taken as the title.
 */
GPtrArray *_cf_script_split_paragraphs (const char  *text,
                                        gsize        length,
                                        char       **title);

void       _cf_script_set_error        (GError     **error,
                                        const char  *display_name,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (3, 4);
void       _cf_script_set_error_at     (GError     **error,
                                        const char  *display_name,
                                        guint        line,
                                        guint        column,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (5, 6);
/* 1-based column, in characters, of p in the line that starts at line_start. */
guint      _cf_script_column           (const char  *line_start,
                                        const char  *p);

/* The parsers get NUL-terminated, valid UTF-8 without a byte order mark. */
CfScript  *_cf_script_parse_json       (const char  *data,
                                        gsize        length,
                                        const char  *display_name,
                                        GError     **error);
CfScript  *_cf_script_parse_text       (const char  *data,
                                        gsize        length,
                                        const char  *display_name,
                                        GError     **error);
CfScript  *_cf_script_parse_csv        (const char  *data,
                                        gsize        length,
                                        const char  *display_name,
                                        GError     **error);

char      *_cf_script_serialize_json   (CfScript    *script,
                                        gsize       *length);
char      *_cf_script_serialize_text   (CfScript    *script,
                                        gsize       *length);
char      *_cf_script_serialize_csv    (CfScript    *script,
                                        gsize       *length);

G_END_DECLS
