/* atomic-file.c: temporary file + rename. */
#include "atomic-file.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _AtomicFile {
  char *path;
  char *tmp_path;
  FILE *stream;
  int write_errno; /* first write error, 0 if none */
};

static void
set_io_error (GError **error, int err, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot %s %s: %s", what,
               path, g_strerror (err));
}

AtomicFile *
atomic_file_open (const char *path, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp (tmpl);
  if (fd < 0)
    {
      set_io_error (error, errno, "create", path);
      return NULL;
    }
  FILE *stream = fdopen (fd, "w");
  if (stream == NULL)
    {
      int saved = errno;
      close (fd);
      g_unlink (tmpl);
      set_io_error (error, saved, "open", path);
      return NULL;
    }
  AtomicFile *f = g_new0 (AtomicFile, 1);
  f->path = g_strdup (path);
  f->tmp_path = g_steal_pointer (&tmpl);
  f->stream = stream;
  return f;
}

void
atomic_file_write (AtomicFile *f, const void *data, gsize len)
{
  if (f->write_errno == 0 && fwrite (data, 1, len, f->stream) != len)
    f->write_errno = errno != 0 ? errno : EIO;
}

static void
atomic_file_free (AtomicFile *f)
{
  g_free (f->path);
  g_free (f->tmp_path);
  g_free (f);
}

gboolean
atomic_file_commit (AtomicFile *f, GError **error)
{
  int err = f->write_errno;
  if (fflush (f->stream) != 0 && err == 0)
    err = errno;
  if (fclose (f->stream) != 0 && err == 0)
    err = errno;
  if (err == 0 && (g_chmod (f->tmp_path, 0644) != 0 || g_rename (f->tmp_path, f->path) != 0))
    err = errno;
  if (err != 0)
    {
      g_unlink (f->tmp_path);
      set_io_error (error, err, "write", f->path);
    }
  atomic_file_free (f);
  return err == 0;
}

void
atomic_file_abandon (AtomicFile *f)
{
  if (f == NULL)
    return;
  fclose (f->stream);
  g_unlink (f->tmp_path);
  atomic_file_free (f);
}
