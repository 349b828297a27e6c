/* fuzz-trace-reader.c: any bytes read as a JSON lines trace load or give
 * one "fuzz.jsonl:LINE:COL: what" error; a loaded trace's plots are built
 * (data and scripts, written to a scratch directory, gnuplot not run). */
#include "fuzz-check.h"
#include "plot-ladder.h"
#include "plot-states.h"
#include "plot-trace.h"
#include "plot-tseq.h"

#include <glib/gstdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *scratch;

static void
remove_scratch (void)
{
  GDir *d = g_dir_open (scratch, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (scratch);
}

static void
draw (const PlotTrace *trace)
{
  /* In memory when it can be: writing files dominates an execution. */
  if (scratch == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    scratch = g_mkdtemp (g_strdup ("/dev/shm/twsim-fuzz-plots-XXXXXX"));
  if (scratch == NULL)
    scratch = g_dir_make_tmp ("twsim-fuzz-plots-XXXXXX", NULL);
  if (scratch == NULL)
    abort ();
  static gboolean registered;
  if (!registered)
    registered = atexit (remove_scratch) == 0;
  PlotOptions opts = { 0 };
  GPtrArray *scripts = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *notes = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  if (!plot_ladder_write (trace, &opts, scratch, scripts, notes, &error)
      || !plot_states_write (trace, &opts, scratch, scripts, notes, &error)
      || !plot_tseq_write (trace, &opts, scratch, scripts, notes, &error))
    {
      fprintf (stderr, "cannot write plots: %s\n", error->message);
      abort ();
    }
  g_ptr_array_unref (scripts);
  g_ptr_array_unref (notes);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  FILE *file = fmemopen ((void *) data, size, "r");
  if (file == NULL)
    return 0; /* size 0 */
  GError *error = NULL;
  PlotTrace *trace = plot_trace_read (file, "fuzz.jsonl", &error);
  fclose (file);
  if (trace == NULL)
    {
      fuzz_check_located (error->message, "fuzz\\.jsonl");
      g_error_free (error);
      return 0;
    }
  draw (trace);
  plot_trace_free (trace);
  return 0;
}
