/* atomic-file.h: an output file written whole or not at all. Data goes to
 * a temporary file beside the target; commit renames it into place,
 * abandon (or any failure) removes it and leaves the target untouched.
 * Unlike g_file_set_contents() it streams, so a trace of millions of
 * events never has to sit in memory. The temporary is removed on SIGINT,
 * SIGTERM and SIGHUP too (temp-files.h).
 *
 * Only a regular file (or a new path) is replaced that way: "-" is
 * standard output, and a character device (/dev/null) or a FIFO is
 * written straight through, never renamed over. A directory, or anything
 * else that is not a regular file, is refused when opening. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _AtomicFile AtomicFile;

AtomicFile *atomic_file_open    (const char *path, GError **error);
/* Writes len bytes; a failure is remembered and reported by commit. */
void        atomic_file_write   (AtomicFile *file, const void *data, gsize len);
/* Flushes, closes and renames into place; frees the AtomicFile. */
gboolean    atomic_file_commit  (AtomicFile *file, GError **error);
/* Removes the temporary file; frees the AtomicFile. NULL is fine. */
void        atomic_file_abandon (AtomicFile *file);

G_END_DECLS
