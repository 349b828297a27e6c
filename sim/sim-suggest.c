/* sim-suggest.c: see sim-suggest.h. */
#include "sim-suggest.h"

#include <string.h>

static char
fold (char c)
{
  return c == '_' ? '-' : g_ascii_tolower (c);
}

guint
sim_edit_distance (const char *a, gsize a_len, const char *b)
{
  /* Optimal string alignment: a swap of two neighbours (dorp, drop) is one
   * edit too. The words are short: a full table. */
  gsize b_len = strlen (b);
  gsize w = b_len + 1;
  guint *d = g_new (guint, (a_len + 1) * w);
  for (gsize i = 0; i <= a_len; i++)
    d[i * w] = (guint) i;
  for (gsize j = 0; j <= b_len; j++)
    d[j] = (guint) j;
  for (gsize i = 1; i <= a_len; i++)
    for (gsize j = 1; j <= b_len; j++)
      {
        guint cost = fold (a[i - 1]) == fold (b[j - 1]) ? 0 : 1;
        guint best = MIN (d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1);
        best = MIN (best, d[(i - 1) * w + j - 1] + cost);
        if (i > 1 && j > 1 && fold (a[i - 1]) == fold (b[j - 2])
            && fold (a[i - 2]) == fold (b[j - 1]))
          best = MIN (best, d[(i - 2) * w + j - 2] + 1);
        d[i * w + j] = best;
      }
  guint result = d[a_len * w + b_len];
  g_free (d);
  return result;
}

const char *
sim_suggest (const char *word, gsize len, const char *const *candidates)
{
  guint limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  for (gsize i = 0; candidates[i] != NULL; i++)
    {
      if (strlen (candidates[i]) == len && strncmp (candidates[i], word, len) == 0)
        return NULL;
      guint d = sim_edit_distance (word, len, candidates[i]);
      /* A tie goes to a candidate that starts like the word (SNY: SYN, not any). */
      gboolean same_start = len > 0 && fold (word[0]) == fold (candidates[i][0]);
      gboolean best_same_start = best != NULL && len > 0 && fold (word[0]) == fold (best[0]);
      if (d < best_d || (d == best_d && same_start && !best_same_start))
        {
          best_d = d;
          best = candidates[i];
        }
    }
  return best_d <= limit ? best : NULL;
}

char *
sim_suggest_hint (const char *word, gsize len, const char *const *candidates)
{
  const char *s = sim_suggest (word, len, candidates);
  return s != NULL ? g_strdup_printf (", did you mean '%s'?", s) : g_strdup ("");
}
