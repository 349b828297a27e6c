/* plot-sweep.c: the sweep plot (plot-sweep.h). */
#include "plot-sweep.h"

#include "plot-output.h"
#include "plot-render.h"

#include <string.h>

static void
series_free (gpointer p)
{
  PlotSweepSeries *s = p;
  g_free (s->title);
  g_free (s->p);
  g_free (s->low);
  g_free (s->high);
  g_free (s);
}

PlotSweep *
plot_sweep_new (const char *title, const char *x_label)
{
  PlotSweep *sweep = g_new0 (PlotSweep, 1);
  sweep->title = g_strdup (title);
  sweep->x_label = g_strdup (x_label);
  sweep->x_values = g_ptr_array_new_with_free_func (g_free);
  sweep->series = g_ptr_array_new_with_free_func (series_free);
  return sweep;
}

void
plot_sweep_free (PlotSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_free (sweep->title);
  g_free (sweep->x_label);
  g_ptr_array_unref (sweep->x_values);
  g_ptr_array_unref (sweep->series);
  g_free (sweep);
}

PlotSweepSeries *
plot_sweep_add_series (PlotSweep *sweep, const char *title)
{
  guint n = sweep->x_values->len;
  PlotSweepSeries *s = g_new0 (PlotSweepSeries, 1);
  s->title = g_strdup (title);
  s->p = g_new0 (double, n);
  s->low = g_new0 (double, n);
  s->high = g_new0 (double, n);
  g_ptr_array_add (sweep->series, s);
  return s;
}

static void
append_double (GString *out, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", x));
}

/* One block per series: x index, p, low, high, the x value. */
static void
write_data (const PlotSweep *sweep, PlotData *dat)
{
  for (guint s = 0; s < sweep->series->len; s++)
    {
      const PlotSweepSeries *series = g_ptr_array_index (sweep->series, s);
      plot_data_block (dat, series->title, "x p low high \"value\"");
      for (guint x = 0; x < sweep->x_values->len; x++)
        {
          g_string_append_printf (dat->text, "%u ", x);
          append_double (dat->text, series->p[x]);
          g_string_append_c (dat->text, ' ');
          append_double (dat->text, series->low[x]);
          g_string_append_c (dat->text, ' ');
          append_double (dat->text, series->high[x]);
          g_string_append_c (dat->text, ' ');
          plot_append_data_str (dat->text, g_ptr_array_index (sweep->x_values, x));
          g_string_append_c (dat->text, '\n');
        }
    }
}

static void
write_script (const PlotSweep *sweep, GString *gp)
{
  plot_script_begin (gp, "sweep", "probability of each verdict against a varied setting",
                     sweep->title);
  g_string_append (gp, "set xlabel ");
  plot_append_gp_str (gp, sweep->x_label);
  g_string_append_printf (gp, "\nset ylabel 'probability (95 %% Wilson interval)'\n"
                          "set yrange [-0.02:1.02]\nset xrange [-0.5:%u.5]\n"
                          "set grid ytics\nset key outside right top\nset bars 2\nplot \\\n",
                          sweep->x_values->len > 0 ? sweep->x_values->len - 1 : 0);
  g_string_truncate (gp, gp->len - strlen ("plot \\\n"));
  /* The values as tics at 0, 1, ...: the series sit slightly beside them. */
  g_string_append (gp, "set xtics (");
  for (guint x = 0; x < sweep->x_values->len; x++)
    {
      g_string_append (gp, x > 0 ? ", " : "");
      plot_append_gp_str (gp, g_ptr_array_index (sweep->x_values, x));
      g_string_append_printf (gp, " %u", x);
    }
  g_string_append (gp, ")\nplot \\\n");
  guint n = sweep->series->len;
  for (guint s = 0; s < n; s++)
    {
      const PlotSweepSeries *series = g_ptr_array_index (sweep->series, s);
      /* Side by side, so that equal probabilities do not hide each other. */
      double offset = n > 1 ? ((double) s - (double) (n - 1) / 2.0) * 0.2 / (double) n : 0.0;
      g_string_append (gp, "  'sweep.dat' index ");
      g_string_append_printf (gp, "%u using ($1+", s);
      append_double (gp, offset);
      g_string_append (gp, "):2:3:4 with yerrorlines lw 2 pt 7 title ");
      plot_append_gp_str (gp, series->title);
      g_string_append (gp, s + 1 < n ? ", \\\n" : "\n");
    }
  if (n == 0)
    g_string_append (gp, "  NaN notitle\n");
  plot_script_end (gp);
}

gboolean
plot_sweep_write (const PlotSweep *sweep, const char *dir, GPtrArray *notes, GError **error)
{
  if (!plot_make_dir (dir, error))
    return FALSE;
  PlotData dat;
  plot_data_init (&dat, "# sweep.dat: probability of each verdict per value of the varied setting\n");
  write_data (sweep, &dat);
  g_autoptr (GString) gp = g_string_new (NULL);
  write_script (sweep, gp);
  gboolean ok = plot_write_file (dir, "sweep.dat", dat.text, error)
                && plot_write_file (dir, "sweep.gp", gp, error);
  plot_data_clear (&dat);
  if (!ok)
    return FALSE;
  g_autoptr (GPtrArray) scripts = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (scripts, g_strdup ("sweep"));
  return plot_render_scripts (dir, scripts, notes, error);
}
