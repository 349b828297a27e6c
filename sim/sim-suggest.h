/* sim-suggest.h: "did you mean" for a near-miss keyword in a scenario
 * (TIME_WAIT for TIME-WAIT, mls for msl, linke for link). GLib has no edit
 * distance; this is the Levenshtein distance of two short words. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Edits (insert, delete, substitute one character, swap two neighbours)
 * from a to b, comparing
 * ASCII letters without case and '_' as '-'. */
guint       sim_edit_distance (const char *a, gsize a_len, const char *b);
/* The candidate nearest to word[0..len) when it is a likely misspelling:
 * at most 1 edit for a word of up to 4 characters, 2 up to 8, 3 beyond;
 * candidates is NULL-terminated. NULL when
 * nothing is that close (or word is itself a candidate). A tie goes to a
 * candidate with the word's first letter. */
const char *sim_suggest       (const char *word, gsize len, const char *const *candidates);
/* ", did you mean 'X'?" for sim_suggest's answer, or "" (free it). */
char       *sim_suggest_hint  (const char *word, gsize len, const char *const *candidates);

G_END_DECLS
