/* plot-labels.c: a label placer in image pixels (see plot-labels.h). */
#include "plot-labels.h"

#include <string.h>

#define EM_PER_CHAR 0.78
#define LINE_EM 1.6
#define PAD_PX 3.0
#define GLYPH_EM 0.8

void
plot_placer_init (PlotPlacer *p, PlotBox frame)
{
  p->frame = frame;
  p->boxes = g_array_new (FALSE, FALSE, sizeof (PlotBox));
  p->lines = g_array_new (FALSE, FALSE, sizeof (PlotLine));
}

void
plot_placer_clear (PlotPlacer *p)
{
  g_array_unref (p->boxes);
  g_array_unref (p->lines);
}

void
plot_placer_add_line (PlotPlacer *p, double x0, double y0, double x1, double y1, guint owner)
{
  PlotLine line = { x0, y0, x1, y1, owner };
  g_array_append_val (p->lines, line);
}

void
plot_placer_take (PlotPlacer *p, const PlotBox *b)
{
  g_array_append_val (p->boxes, *b);
}

static gboolean
boxes_meet (const PlotBox *a, const PlotBox *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static gboolean
inside (const PlotBox *outer, const PlotBox *b)
{
  return b->x0 >= outer->x0 && b->x1 <= outer->x1 && b->y0 >= outer->y0 && b->y1 <= outer->y1;
}

gboolean
plot_placer_room (const PlotPlacer *p, const PlotBox *b)
{
  if (!inside (&p->frame, b))
    return FALSE;
  for (guint i = 0; i < p->boxes->len; i++)
    if (boxes_meet (b, &g_array_index (p->boxes, PlotBox, i)))
      return FALSE;
  return TRUE;
}

/* Liang-Barsky: does the segment pass through the box's inside? */
static gboolean
line_meets_box (const PlotLine *l, const PlotBox *b)
{
  double dx = l->x1 - l->x0, dy = l->y1 - l->y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { l->x0 - b->x0, b->x1 - l->x0, l->y0 - b->y0, b->y1 - l->y0 };
  double lo = 0, hi = 1;
  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] <= 0)
            return FALSE;
          continue;
        }
      double r = q[i] / p[i];
      if (p[i] < 0)
        lo = MAX (lo, r);
      else
        hi = MIN (hi, r);
      if (lo > hi)
        return FALSE;
    }
  return lo < hi;
}

gboolean
plot_placer_clear_of_lines (const PlotPlacer *p, const PlotBox *b, guint owner)
{
  if (!plot_placer_room (p, b))
    return FALSE;
  for (guint i = 0; i < p->lines->len; i++)
    {
      const PlotLine *l = &g_array_index (p->lines, PlotLine, i);
      if ((owner == 0 || l->owner != owner) && line_meets_box (l, b))
        return FALSE;
    }
  return TRUE;
}

gboolean
plot_placer_fits (const PlotPlacer *p, const PlotBox *b, guint owner, PlotClearance how)
{
  switch (how)
    {
    case PLOT_CLEAR_BOX:
      return plot_placer_clear_of_lines (p, b, owner);
    case PLOT_CLEAR_TEXT:
      {
        /* The glyphs: GLYPH_EM of the box's LINE_EM, around its middle
         * (DejaVu Sans capitals and digits are 0.73 em tall). */
        double inset = (b->y1 - b->y0) * (1 - GLYPH_EM / LINE_EM) / 2;
        PlotBox core = { b->x0 + PAD_PX, b->y0 + inset, b->x1 - PAD_PX, b->y1 - inset };
        return plot_placer_room (p, b) && plot_placer_clear_of_lines (p, &core, owner);
      }
    case PLOT_CLEAR_NONE:
      return plot_placer_room (p, b);
    }
  return FALSE;
}

gsize
plot_text_chars (const char *text)
{
  return g_utf8_validate (text, -1, NULL) ? (gsize) g_utf8_strlen (text, -1) : strlen (text);
}

double
plot_line_height (int points)
{
  return LINE_EM * points;
}

PlotBox
plot_label_box (double x, double y, const char *text, int points, PlotAlign align)
{
  double w = (double) plot_text_chars (text) * EM_PER_CHAR * points + 2 * PAD_PX;
  double h = plot_line_height (points);
  double x0 = x - w / 2;
  switch (align)
    {
    case PLOT_ALIGN_LEFT:
      x0 = x - PAD_PX;
      break;
    case PLOT_ALIGN_RIGHT:
      x0 = x - w + PAD_PX;
      break;
    case PLOT_ALIGN_CENTER:
      break;
    }
  PlotBox b = { x0, y - h / 2, x0 + w, y + h / 2 };
  return b;
}
