/* input-file.h: opening an input (a scenario, a trace) so that no input
 * can hang or exhaust memory: only a regular file is read (a FIFO would
 * block for ever, /dev/zero never ends), and a scenario has a size cap.
 * The file is opened without blocking and checked on the descriptor. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

/* The largest scenario read: 64 MiB (10^5 hosts take 3 MiB). */
#define INPUT_FILE_MAX_SCENARIO ((gsize) 64 << 20)

/* Opens path for reading as a stream; G_FILE_ERROR with "cannot read PATH:
 * why" when it cannot be opened or is not a regular file. */
FILE    *input_file_open (const char *path, GError **error);
/* Reads the whole of path (NUL-terminated) if it is a regular file of at
 * most max_bytes. */
gboolean input_file_read (const char *path, gsize max_bytes, char **text, gsize *len,
                          GError **error);

G_END_DECLS
