/* test-plot-labels.c: every scenario's plots (ladder, states, time-sequence)
 * are drawn with `twsim run --plot` (gnuplot hidden from PATH: only the
 * .gp scripts and .dat data are written) and, from what gnuplot is given,
 * no two text labels overlap and none leaves the frame.
 *
 * Labels are the script's `set label` lines and the rows of each `with
 * labels` plot clause (rows whose x or y is NaN or outside the axis
 * range are not drawn: gnuplot skips them). Their
 * extents are estimated, not measured:
 *   - text width: characters (a UTF-8 sequence counts one) x 0.72 x font
 *     size in points, px; height 1.2 x font size. pngcairo's Sans (DejaVu
 *     Sans) at 1280x800 draws our labels at 7.1 px per character at 10 pt,
 *     8.3 at 11 and 8.6 at 12 (measured on the ladder's PNGs);
 *   - `boxed` adds 0.4 x font size on each side and 0.2 x font size above
 *     and below (the textbox margins);
 *   - the default font is 12 pt; an `offset a,b` moves a label a x 8 px
 *     right and b x 18 px up (pngcairo's character cell at 12 pt).
 * The frame is the graph area: the margins the script sets `at screen`,
 * else an estimate (left 90 px, right 30 px, top 60 px, bottom 70 px,
 * 250 px more on the right for a key outside right). A label anchored in
 * the graph area must stay inside it; one anchored outside (a header in
 * screen coordinates) must stay inside the image.
 *
 * Every plot of every scenario must pass: no list of exceptions. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EM_PER_CHAR 0.72
#define LINE_EM 1.2
#define BOX_MARGIN_X_EM 0.4
#define BOX_MARGIN_Y_EM 0.2
#define CHAR_W_PX 8.0
#define CHAR_H_PX 18.0
#define TOLERANCE_PX 1.0

typedef struct {
  double x0, y0, x1, y1;
  char *text;
} Label;

typedef struct {
  double width, height;          /* image, px */
  double gx0, gx1, gy0, gy1;     /* graph area, px (y down) */
  double xmin, xmax, ymin, ymax; /* first axes: ymin at the bottom */
  gboolean key_outside_right;
  gboolean margin_set[4];        /* l r t b */
} Frame;

static char *tmp_dir;
static char *root;
static GPtrArray *scenarios; /* relative paths */

/* ---- a small reader for the gnuplot and data text we write ---------- */

/* A quoted string at *p ('..' with '' for ', or ".." with \ escapes). */
static char *
read_quoted (const char **p)
{
  char q = **p;
  GString *s = g_string_new (NULL);
  const char *c = *p + 1;
  for (; *c != '\0'; c++)
    {
      if (q == '\'' && c[0] == '\'' && c[1] == '\'')
        {
          g_string_append_c (s, '\'');
          c++;
        }
      else if (*c == q)
        {
          c++;
          break;
        }
      else if (q == '"' && *c == '\\' && c[1] != '\0')
        g_string_append_c (s, *++c);
      else
        g_string_append_c (s, *c);
    }
  *p = c;
  return g_string_free (s, FALSE);
}

/* The fields of a data row: numbers, NaN and "strings". */
static GPtrArray *
split_row (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;
  while (*p != '\0')
    {
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      if (*p == '"')
        g_ptr_array_add (fields, read_quoted (&p));
      else
        {
          const char *start = p;
          while (*p != '\0' && *p != ' ' && *p != '\t')
            p++;
          g_ptr_array_add (fields, g_strndup (start, p - start));
        }
    }
  return fields;
}

/* Block `index` of a data file (blocks end at two blank lines). */
static GPtrArray *
data_block (const char *text, guint index)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint block = 0, blank = 0;
  gboolean seen = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        {
          if (++blank == 2 && seen)
            {
              block++;
              seen = FALSE;
            }
          continue;
        }
      blank = 0;
      if (lines[i][0] == '#')
        continue;
      seen = TRUE;
      if (block == index)
        g_ptr_array_add (rows, split_row (lines[i]));
    }
  return rows;
}

/* ---- using-spec expressions: numbers, $N, NaN, + - * /, comparisons,
 * ?:, sprintf(...) ------------------------------------------------------ */

typedef struct {
  gboolean is_str;
  double num;
  char *str;
} Value;

typedef struct {
  const char *p;
  GPtrArray *row;
} Expr;

static Value eval_ternary (Expr *e);

static void
skip_space (Expr *e)
{
  while (*e->p == ' ')
    e->p++;
}

static Value
num_value (double d)
{
  return (Value) { FALSE, d, NULL };
}

static double
column_number (GPtrArray *row, long col)
{
  if (col < 1 || (guint) col > row->len)
    return NAN;
  const char *f = g_ptr_array_index (row, col - 1);
  if (g_ascii_strcasecmp (f, "nan") == 0)
    return NAN;
  char *end;
  double d = g_ascii_strtod (f, &end);
  return *end == '\0' && end != f ? d : NAN;
}

static char *
format_sprintf (const char *format, Value *args, guint n)
{
  GString *out = g_string_new (NULL);
  guint k = 0;
  for (const char *c = format; *c != '\0'; c++)
    {
      if (*c != '%' || c[1] == '\0')
        {
          g_string_append_c (out, *c);
          continue;
        }
      const char *spec = c;
      c++;
      while (*c != '\0' && strchr ("0123456789.-+ ", *c) != NULL)
        c++;
      g_autofree char *one = g_strndup (spec, c - spec + 1);
      double d = k < n ? args[k].num : 0;
      k++;
      if (*c == 'd')
        g_string_append_printf (out, "%ld", (long) d);
      else if (*c == 's')
        g_string_append (out, k - 1 < n && args[k - 1].is_str ? args[k - 1].str : "");
      else
        {
          char buf[64];
          g_ascii_formatd (buf, sizeof buf, one, d);
          g_string_append (out, buf);
        }
    }
  return g_string_free (out, FALSE);
}

static Value
eval_primary (Expr *e)
{
  skip_space (e);
  if (*e->p == '(')
    {
      e->p++;
      Value v = eval_ternary (e);
      skip_space (e);
      g_assert_cmpint (*e->p, ==, ')');
      e->p++;
      return v;
    }
  if (*e->p == '$')
    {
      char *end;
      long col = strtol (e->p + 1, &end, 10);
      e->p = end;
      return num_value (column_number (e->row, col));
    }
  if (*e->p == '\'' || *e->p == '"')
    return (Value) { TRUE, 0, read_quoted (&e->p) };
  if (g_str_has_prefix (e->p, "NaN"))
    {
      e->p += 3;
      return num_value (NAN);
    }
  if (g_str_has_prefix (e->p, "sprintf("))
    {
      e->p += 8;
      Value format = eval_ternary (e);
      Value args[8];
      guint n = 0;
      skip_space (e);
      while (*e->p == ',' && n < G_N_ELEMENTS (args))
        {
          e->p++;
          args[n++] = eval_ternary (e);
          skip_space (e);
        }
      g_assert_cmpint (*e->p, ==, ')');
      e->p++;
      char *s = format_sprintf (format.str, args, n);
      g_free (format.str);
      for (guint i = 0; i < n; i++)
        g_free (args[i].str);
      return (Value) { TRUE, 0, s };
    }
  char *end;
  double d = g_str_has_prefix (e->p, "0x") ? (double) g_ascii_strtoll (e->p, &end, 16)
                                           : g_ascii_strtod (e->p, &end);
  if (end == e->p)
    g_error ("cannot read the expression at \"%s\"", e->p);
  e->p = end;
  return num_value (d);
}

static Value
eval_unary (Expr *e)
{
  skip_space (e);
  if (*e->p == '-')
    {
      e->p++;
      Value v = eval_unary (e);
      v.num = -v.num;
      return v;
    }
  return eval_primary (e);
}

static Value
eval_term (Expr *e)
{
  Value v = eval_unary (e);
  for (skip_space (e); *e->p == '*' || *e->p == '/'; skip_space (e))
    {
      char op = *e->p++;
      Value w = eval_unary (e);
      v.num = op == '*' ? v.num * w.num : v.num / w.num;
    }
  return v;
}

static Value
eval_sum (Expr *e)
{
  Value v = eval_term (e);
  for (skip_space (e); *e->p == '+' || (*e->p == '-'); skip_space (e))
    {
      char op = *e->p++;
      Value w = eval_term (e);
      v.num = op == '+' ? v.num + w.num : v.num - w.num;
    }
  return v;
}

static Value
eval_compare (Expr *e)
{
  Value v = eval_sum (e);
  skip_space (e);
  static const char *const ops[] = { "<=", ">=", "==", "!=", "<", ">" };
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_has_prefix (e->p, ops[i]))
      {
        e->p += strlen (ops[i]);
        double a = v.num, b = eval_sum (e).num;
        gboolean r = i == 0 ? a <= b : i == 1 ? a >= b : i == 2 ? a == b : i == 3 ? a != b
                   : i == 4 ? a < b : a > b;
        return num_value (r);
      }
  return v;
}

static Value
eval_ternary (Expr *e)
{
  Value c = eval_compare (e);
  skip_space (e);
  if (*e->p != '?')
    return c;
  e->p++;
  Value yes = eval_ternary (e);
  skip_space (e);
  g_assert_cmpint (*e->p, ==, ':');
  e->p++;
  Value no = eval_ternary (e);
  if (c.num != 0 && !isnan (c.num))
    {
      g_free (no.str);
      return yes;
    }
  g_free (yes.str);
  return no;
}

/* One part of a using spec: a column number or a (parenthesised) expression. */
static Value
using_value (const char *part, GPtrArray *row, gboolean want_text)
{
  if (part[0] != '(')
    {
      long col = strtol (part, NULL, 10);
      if (want_text)
        return (Value) { TRUE, 0,
                         g_strdup (col >= 1 && (guint) col <= row->len ? g_ptr_array_index (row, col - 1) : "") };
      return num_value (column_number (row, col));
    }
  Expr e = { part, row };
  Value v = eval_ternary (&e);
  if (want_text && !v.is_str)
    {
      v.is_str = TRUE;
      v.str = g_strdup_printf ("%g", v.num);
    }
  return v;
}

/* The parts of a using spec, split at top-level ':'. */
static GPtrArray *
split_using (const char *spec)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  int depth = 0;
  const char *start = spec;
  for (const char *c = spec;; c++)
    {
      if (*c == '\'' || *c == '"')
        {
          g_free (read_quoted (&c));
          c--;
          continue;
        }
      if (*c == '(')
        depth++;
      else if (*c == ')')
        depth--;
      if ((*c == ':' && depth == 0) || *c == '\0')
        {
          g_ptr_array_add (parts, g_strndup (start, c - start));
          if (*c == '\0')
            break;
          start = c + 1;
        }
    }
  return parts;
}

/* ---- frame and label boxes ---------------------------------------------- */

static double
px_x (const Frame *f, const char *system, double v)
{
  if (strcmp (system, "graph") == 0)
    return f->gx0 + v * (f->gx1 - f->gx0);
  if (strcmp (system, "screen") == 0)
    return v * f->width;
  return f->gx0 + (v - f->xmin) / (f->xmax - f->xmin) * (f->gx1 - f->gx0);
}

static double
px_y (const Frame *f, const char *system, double v)
{
  if (strcmp (system, "graph") == 0)
    return f->gy1 - v * (f->gy1 - f->gy0);
  if (strcmp (system, "screen") == 0)
    return f->height - v * f->height;
  return f->gy1 - (v - f->ymin) / (f->ymax - f->ymin) * (f->gy1 - f->gy0);
}

typedef struct {
  char align;        /* l, c, r */
  gboolean boxed;
  double font;       /* points */
  double dx, dy;     /* offset, px (dy down) */
} TextStyle;

static void
read_style (const char *clause, TextStyle *st)
{
  *st = (TextStyle) { 'c', FALSE, 12, 0, 0 };
  g_auto (GStrv) words = g_strsplit (clause, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      if (strcmp (w, "left") == 0 || strcmp (w, "right") == 0 || strcmp (w, "center") == 0)
        st->align = w[0];
      else if (strcmp (w, "boxed") == 0)
        st->boxed = TRUE;
      else if (strcmp (w, "font") == 0 && words[i + 1] != NULL)
        {
          const char *comma = strchr (words[i + 1], ',');
          if (comma != NULL && g_ascii_isdigit (comma[1]))
            st->font = g_ascii_strtod (comma + 1, NULL);
        }
      else if (strcmp (w, "offset") == 0 && words[i + 1] != NULL)
        {
          g_auto (GStrv) xy = g_strsplit (words[i + 1], ",", 2);
          st->dx = g_ascii_strtod (xy[0], NULL) * CHAR_W_PX;
          st->dy = xy[1] != NULL ? -g_ascii_strtod (xy[1], NULL) * CHAR_H_PX : 0;
        }
    }
}

static gsize
chars (const char *s)
{
  return g_utf8_validate (s, -1, NULL) ? (gsize) g_utf8_strlen (s, -1) : strlen (s);
}

static Label
label_box (double x, double y, const char *text, const TextStyle *st)
{
  double w = (double) chars (text) * EM_PER_CHAR * st->font;
  double h = LINE_EM * st->font;
  double mx = st->boxed ? BOX_MARGIN_X_EM * st->font : 0;
  double my = st->boxed ? BOX_MARGIN_Y_EM * st->font : 0;
  x += st->dx;
  y += st->dy;
  double x0 = st->align == 'l' ? x : st->align == 'r' ? x - w : x - w / 2;
  return (Label) { x0 - mx, y - h / 2 - my, x0 + w + mx, y + h / 2 + my, g_strdup (text) };
}

static void
label_clear (gpointer p)
{
  g_free (((Label *) p)->text);
}

/* ---- reading a script --------------------------------------------------- */

static double
screen_fraction (const char *line)
{
  const char *at = strstr (line, "at screen ");
  return at != NULL ? g_ascii_strtod (at + 10, NULL) : NAN;
}

static void
read_range (const char *line, double *lo, double *hi)
{
  const char *open = strchr (line, '[');
  char *end;
  *lo = g_ascii_strtod (open + 1, &end);
  *hi = g_ascii_strtod (end + 1, NULL);
}

static void
read_setting (Frame *f, const char *line)
{
  static const char *const margins[] = { "set lmargin", "set rmargin", "set tmargin", "set bmargin" };
  if (g_str_has_prefix (line, "set xrange ["))
    read_range (line, &f->xmin, &f->xmax);
  else if (g_str_has_prefix (line, "set yrange ["))
    read_range (line, &f->ymin, &f->ymax);
  else if (g_str_has_prefix (line, "set key") && strstr (line, "outside") != NULL
           && strstr (line, "right") != NULL)
    f->key_outside_right = TRUE;
  for (guint m = 0; m < G_N_ELEMENTS (margins); m++)
    if (g_str_has_prefix (line, margins[m]) && !isnan (screen_fraction (line)))
      {
        double s = screen_fraction (line);
        f->margin_set[m] = TRUE;
        if (m == 0)
          f->gx0 = s * f->width;
        else if (m == 1)
          f->gx1 = s * f->width;
        else if (m == 2)
          f->gy0 = f->height - s * f->height;
        else
          f->gy1 = f->height - s * f->height;
      }
}

/* set label 'text' at [system] x, [system] y [options] */
static void
read_set_label (const Frame *f, const char *line, GArray *labels)
{
  const char *p = line + strlen ("set label ");
  while (*p == ' ')
    p++;
  if (*p != '\'' && *p != '"')
    return;
  g_autofree char *text = read_quoted (&p);
  const char *at = strstr (p, " at ");
  g_assert_nonnull (at);
  g_auto (GStrv) coords = g_strsplit (at + 4, ",", 2);
  g_auto (GStrv) xs = g_strsplit (g_strstrip (coords[0]), " ", 2);
  g_auto (GStrv) ys = g_strsplit (g_strstrip (coords[1]), " ", 3);
  const char *xsys = xs[1] != NULL ? xs[0] : "first";
  double x = g_ascii_strtod (xs[1] != NULL ? xs[1] : xs[0], NULL);
  const char *ysys = g_ascii_isalpha (ys[0][0]) ? ys[0] : "first";
  double y = g_ascii_strtod (g_ascii_isalpha (ys[0][0]) ? ys[1] : ys[0], NULL);
  TextStyle st;
  read_style (coords[1], &st);
  Label l = label_box (px_x (f, xsys, x), px_y (f, ysys, y), text, &st);
  g_array_append_val (labels, l);
}

static gboolean
in_range (double v, double a, double b)
{
  return v >= MIN (a, b) && v <= MAX (a, b);
}

/* One plot clause: 'FILE' index N using SPEC with labels ... */
static void
read_label_clause (const Frame *f, const char *dir, const char *clause, const char *file,
                   GArray *labels)
{
  const char *index = strstr (clause, " index ");
  const char *using = strstr (clause, " using ");
  g_assert_nonnull (index);
  g_assert_nonnull (using);
  guint block = (guint) strtoul (index + 7, NULL, 10);
  const char *spec_start = using + 7;
  const char *spec_end = strstr (spec_start, " with ");
  g_autofree char *spec = g_strndup (spec_start, spec_end - spec_start);
  g_autoptr (GPtrArray) parts = split_using (spec);
  g_assert_cmpuint (parts->len, >=, 3);
  TextStyle st;
  read_style (spec_end, &st);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_autoptr (GPtrArray) rows = data_block (data, block);
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      double x = using_value (g_ptr_array_index (parts, 0), row, FALSE).num;
      double y = using_value (g_ptr_array_index (parts, 1), row, FALSE).num;
      if (isnan (x) || isnan (y) || !in_range (x, f->xmin, f->xmax) || !in_range (y, f->ymin, f->ymax))
        continue;
      Value text = using_value (g_ptr_array_index (parts, 2), row, TRUE);
      Label l = label_box (px_x (f, "first", x), px_y (f, "first", y), text.str, &st);
      g_free (text.str);
      g_array_append_val (labels, l);
    }
}

/* The clauses of the first plot command (the SVG replots the same). */
static void
read_plot (const Frame *f, const char *dir, const char *script, GArray *labels)
{
  const char *plot = strstr (script, "\nplot ");
  g_assert_nonnull (plot);
  const char *end = strstr (plot + 1, "\n\n");
  g_autofree char *command = g_strndup (plot + 1, end != NULL ? (gsize) (end - plot - 1) : strlen (plot + 1));
  g_auto (GStrv) clauses = g_strsplit (command, ", \\\n", -1);
  g_autofree char *file = NULL;
  for (guint i = 0; clauses[i] != NULL; i++)
    {
      const char *c = g_strstrip (clauses[i]);
      if (c[0] == '\'' && c[1] != '\'')
        {
          const char *p = c;
          g_free (file);
          file = read_quoted (&p);
        }
      if (strstr (c, " with labels") != NULL && file != NULL)
        read_label_clause (f, dir, c, file, labels);
    }
}

static Frame
default_frame (void)
{
  Frame f = { .width = 1280, .height = 800 };
  f.gx0 = 90;
  f.gx1 = f.width - 30;
  f.gy0 = 60;
  f.gy1 = f.height - 70;
  return f;
}

/* Every label of DIR/NAME.gp, in px. */
static GArray *
read_labels (const char *dir, const char *name, Frame *frame)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *script = NULL;
  g_assert_true (g_file_get_contents (path, &script, NULL, NULL));
  *frame = default_frame ();
  g_auto (GStrv) lines = g_strsplit (script, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    read_setting (frame, lines[i]);
  if (frame->key_outside_right && !frame->margin_set[1])
    frame->gx1 -= 250;
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (Label));
  g_array_set_clear_func (labels, label_clear);
  for (guint i = 0; lines[i] != NULL && strstr (lines[i], "The same plot as SVG") == NULL; i++)
    if (g_str_has_prefix (lines[i], "set label "))
      read_set_label (frame, lines[i], labels);
  read_plot (frame, dir, script, labels);
  return labels;
}

/* ---- the checks ------------------------------------------------------------ */

static gboolean
overlap (const Label *a, const Label *b)
{
  return a->x0 + TOLERANCE_PX < b->x1 && b->x0 + TOLERANCE_PX < a->x1
         && a->y0 + TOLERANCE_PX < b->y1 && b->y0 + TOLERANCE_PX < a->y1;
}

static gboolean
inside (double x0, double y0, double x1, double y1, const Label *l)
{
  return l->x0 >= x0 - TOLERANCE_PX && l->x1 <= x1 + TOLERANCE_PX && l->y0 >= y0 - TOLERANCE_PX
         && l->y1 <= y1 + TOLERANCE_PX;
}

/* Problems of one plot, one per line. */
static guint
check_plot (const char *dir, const char *name, const char *scenario, GString *problems)
{
  Frame f;
  g_autoptr (GArray) labels = read_labels (dir, name, &f);
  for (guint i = 0; i < labels->len; i++)
    {
      const Label *a = &g_array_index (labels, Label, i);
      double cx = (a->x0 + a->x1) / 2, cy = (a->y0 + a->y1) / 2;
      gboolean in_graph = cx >= f.gx0 && cx <= f.gx1 && cy >= f.gy0 && cy <= f.gy1;
      if (in_graph ? !inside (f.gx0, f.gy0, f.gx1, f.gy1, a) : !inside (0, 0, f.width, f.height, a))
        g_string_append_printf (problems, "%s %s: \"%s\" leaves the %s\n", scenario, name, a->text,
                                in_graph ? "graph" : "image");
      for (guint k = i + 1; k < labels->len; k++)
        {
          const Label *b = &g_array_index (labels, Label, k);
          if (overlap (a, b))
            g_string_append_printf (problems, "%s %s: \"%s\" overlaps \"%s\"\n", scenario, name,
                                    a->text, b->text);
        }
    }
  return labels->len;
}

static void
collect_scenarios (const char *rel)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  GDir *d = g_dir_open (path, 0, NULL);
  g_assert_nonnull (d);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *n; (n = g_dir_read_name (d)) != NULL;)
    g_ptr_array_add (names, g_strdup (n));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = *(const char **) &g_ptr_array_index (names, i);
      g_autofree char *child = g_build_filename (rel, n, NULL);
      g_autofree char *full = g_build_filename (root, child, NULL);
      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_scenarios (child);
      else if (g_str_has_suffix (n, ".scn"))
        g_ptr_array_add (scenarios, g_steal_pointer (&child));
    }
}

/* Plots every scenario once, gnuplot hidden. */
static const char *
plots_of (guint i)
{
  static GPtrArray *dirs;
  if (dirs == NULL)
    {
      dirs = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *empty = g_build_filename (tmp_dir, "no-gnuplot", NULL);
      g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
      char **envp = g_environ_setenv (g_get_environ (), "PATH", empty, TRUE);
      for (guint k = 0; k < scenarios->len; k++)
        {
          char *dir = g_strdup_printf ("%s/plots-%u", tmp_dir, k);
          g_autofree char *scn = g_build_filename (root, g_ptr_array_index (scenarios, k), NULL);
          const char *args[] = { "run", "--quiet", "--plot", dir, scn, NULL };
          CliOutcome o = cli_run_twsim (tmp_dir, args, envp);
          if (o.status != 0)
            g_error ("%s: twsim run --plot exited %d: %s", scn, o.status, o.err);
          cli_outcome_clear (&o);
          g_ptr_array_add (dirs, dir);
        }
      g_strfreev (envp);
    }
  return g_ptr_array_index (dirs, i);
}

/* Every plot NAME*.gp of every scenario: no overlap, nothing out of frame. */
static void
check_every_scenario (gconstpointer data)
{
  const char *prefix = data;
  g_autoptr (GString) problems = g_string_new (NULL);
  guint plots = 0, labels = 0;
  for (guint i = 0; i < scenarios->len; i++)
    {
      const char *scenario = g_ptr_array_index (scenarios, i);
      const char *dir = plots_of (i);
      g_autoptr (GString) mine = g_string_new (NULL);
      GDir *d = g_dir_open (dir, 0, NULL);
      g_assert_nonnull (d);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      for (const char *n; (n = g_dir_read_name (d)) != NULL;)
        if (g_str_has_prefix (n, prefix) && g_str_has_suffix (n, ".gp"))
          g_ptr_array_add (names, g_strdup (n));
      g_dir_close (d);
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      for (guint k = 0; k < names->len; k++, plots++)
        labels += check_plot (dir, *(const char **) &g_ptr_array_index (names, k), scenario, mine);
      g_string_append (problems, mine->str);
    }
  g_test_message ("%s: %u plots of %u scenarios checked, %u labels", prefix, plots,
                  scenarios->len, labels);
  g_assert_cmpuint (plots, >, 0);
  g_assert_cmpuint (labels, >, 0);
  if (problems->len > 0)
    g_error ("labels that overlap or leave the frame:\n%s", problems->str);
}

/* The check itself: two labels on one spot and one past the edge are
 * found; one out of the axis range is not drawn, so not checked. */
static void
test_overlap_found (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "made", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_autofree char *gp = g_build_filename (dir, "x.gp", NULL);
  g_autofree char *dat = g_build_filename (dir, "x.dat", NULL);
  g_assert_true (g_file_set_contents (dat, "# [0] two labels\n0.5 0.5 \"one label\"\n0.51 0.5 \"another\"\n"
                                           "0.99 0.2 \"far out past the right edge\"\n0.5 9 \"out of range: not drawn\"\n", -1, NULL));
  g_assert_true (g_file_set_contents (gp, "set xrange [0:1]\nset yrange [0:1]\n"
                                          "plot NaN notitle, \\\n  'x.dat' index 0 using 1:2:3 with labels font ',10' notitle\n",
                                      -1, NULL));
  g_autoptr (GString) problems = g_string_new (NULL);
  check_plot (dir, "x.gp", "made", problems);
  g_assert_nonnull (strstr (problems->str, "\"one label\" overlaps \"another\""));
  g_assert_null (strstr (problems->str, "\"far out past the right edge\" overlaps"));
  g_assert_nonnull (strstr (problems->str, "\"far out past the right edge\" leaves the graph"));
  g_assert_null (strstr (problems->str, "not drawn"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  root = g_strdup (g_getenv ("TWSIM_SOURCE_ROOT"));
  g_assert_nonnull (root);
  tmp_dir = g_dir_make_tmp ("twsim-plot-labels-XXXXXX", NULL);
  scenarios = g_ptr_array_new_with_free_func (g_free);
  collect_scenarios ("scenarios");
  g_test_add_func ("/plot-labels/overlap-found", test_overlap_found);
  g_test_add_data_func ("/plot-labels/ladder-labels-never-overlap", "ladder", check_every_scenario);
  g_test_add_data_func ("/plot-labels/states-labels-never-overlap", "states", check_every_scenario);
  g_test_add_data_func ("/plot-labels/tseq-labels-never-overlap", "tseq", check_every_scenario);
  int status = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (root);
  g_ptr_array_unref (scenarios);
  return status;
}
