/* temp-files.h: temporary files removed when the process is interrupted.
 * A file registered here is unlinked by SIGINT, SIGTERM or SIGHUP, after
 * which the signal takes its default course (the process dies of it, as
 * the shell expects). The handler only calls unlink(), which is
 * async-signal-safe; the paths live in a fixed table. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many temporaries at once (a run has a trace, a pcap and a
 * plot's two images); beyond it a file is still written, just not
 * removed on a signal. */
#define TEMP_FILES_MAX 16

/* Registers path (copied) and installs the handlers the first time. */
void temp_files_add    (const char *path);
/* Forgets path: call it before the file is renamed or removed. */
void temp_files_remove (const char *path);

G_END_DECLS
