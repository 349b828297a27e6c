/* narration-story.h: the narration for a class. A trace sink like
 * narration.h, with two choices:
 *   brief:    the story only: no expectation that held, no timer set or
 *             cancelled, short segment lines (no addresses, window or
 *             timestamps; no rule for a segment simply accepted), relative
 *             sequence numbers, quoted bytes cut after 32 characters, and
 *             every line wrapped at spaces to `width` columns (an address
 *             is never cut).
 *   relative: sequence and acknowledgment numbers counted from the ISN of
 *             their direction and incarnation, as Wireshark does (0 = the
 *             SYN, 1 = the first byte); a received segment is numbered as
 *             its receiver sees it, so a stale copy shows where it lands.
 * The full view with relative off is narration.h's. */
#pragma once

#include "sim-trace.h"
#include <stdio.h>

G_BEGIN_DECLS

#define NARRATION_BRIEF_WIDTH 100

typedef struct {
  gboolean brief;
  gboolean relative;
  guint width; /* brief lines; 0: NARRATION_BRIEF_WIDTH */
} NarrationStyle;

typedef struct _NarrationStory NarrationStory;

NarrationStory *narration_story_new  (FILE *out, guint host_width, const NarrationStyle *style);
void            narration_story_free (NarrationStory *story);
void            narration_story_sink (const SimTraceEvent *event, gpointer story);

/* Appends `text` (one line, no newline) to out, wrapped at spaces to
 * `width` columns; out's current line already holds first_indent columns,
 * continuation lines are indented by cont_indent. Ends with a newline. */
void            narration_wrap       (GString *out, const char *text, guint first_indent,
                                      guint cont_indent, guint width);
/* Each line of `text` wrapped as above, continuation lines indented four
 * more than the line's own leading spaces; a quoted run of bytes longer
 * than 32 characters is cut to 32 and "...", as in the brief view. */
void            narration_wrap_text  (GString *out, const char *text, guint width);

G_END_DECLS
