/* atomic-file.c: temporary file + rename for regular files; straight
 * through for stdout, character devices and FIFOs. */
#include "atomic-file.h"

#include "temp-files.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
  ATOMIC_RENAME,   /* temporary file beside the target, renamed at commit */
  ATOMIC_THROUGH,  /* a device or FIFO opened for writing */
  ATOMIC_STDOUT,   /* "-" */
} AtomicMode;

struct _AtomicFile {
  AtomicMode mode;
  char *path;
  char *tmp_path;  /* ATOMIC_RENAME only */
  FILE *stream;
  int write_errno; /* first write error, 0 if none */
};

static void
set_io_error (GError **error, int err, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot %s %s: %s", what,
               path, g_strerror (err));
}

static AtomicFile *
atomic_file_new (AtomicMode mode, const char *path, char *tmp_path, FILE *stream)
{
  AtomicFile *f = g_new0 (AtomicFile, 1);
  f->mode = mode;
  f->path = g_strdup (path);
  f->tmp_path = tmp_path;
  f->stream = stream;
  return f;
}

static AtomicFile *
open_renamed (const char *path, GError **error)
{
  char *tmpl = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp (tmpl);
  if (fd < 0)
    {
      set_io_error (error, errno, "create", path);
      g_free (tmpl);
      return NULL;
    }
  temp_files_add (tmpl);
  FILE *stream = fdopen (fd, "w");
  if (stream == NULL)
    {
      int saved = errno;
      close (fd);
      temp_files_remove (tmpl);
      g_unlink (tmpl);
      g_free (tmpl);
      set_io_error (error, saved, "open", path);
      return NULL;
    }
  return atomic_file_new (ATOMIC_RENAME, path, tmpl, stream);
}

static AtomicFile *
open_through (const char *path, GError **error)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  FILE *stream = fd >= 0 ? fdopen (fd, "w") : NULL;
  if (stream == NULL)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      set_io_error (error, saved, "open", path);
      return NULL;
    }
  return atomic_file_new (ATOMIC_THROUGH, path, NULL, stream);
}

AtomicFile *
atomic_file_open (const char *path, GError **error)
{
  if (strcmp (path, "-") == 0)
    return atomic_file_new (ATOMIC_STDOUT, path, NULL, stdout);
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    return open_renamed (path, error);
  if (S_ISREG (st.st_mode))
    return open_renamed (path, error);
  if (S_ISCHR (st.st_mode) || S_ISFIFO (st.st_mode))
    return open_through (path, error);
  if (S_ISDIR (st.st_mode))
    set_io_error (error, EISDIR, "write", path);
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "cannot write %s: not a regular file, a character device or a FIFO", path);
  return NULL;
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

/* Flushes and (but for stdout) closes; the first error, or 0. */
static int
close_stream (AtomicFile *f)
{
  int err = f->write_errno;
  if (fflush (f->stream) != 0 && err == 0)
    err = errno;
  if (f->mode != ATOMIC_STDOUT && fclose (f->stream) != 0 && err == 0)
    err = errno;
  return err;
}

gboolean
atomic_file_commit (AtomicFile *f, GError **error)
{
  int err = close_stream (f);
  switch (f->mode)
    {
    case ATOMIC_RENAME:
      if (err == 0 && g_chmod (f->tmp_path, 0644) != 0)
        err = errno;
      temp_files_remove (f->tmp_path);
      if (err == 0 && g_rename (f->tmp_path, f->path) != 0)
        err = errno;
      if (err != 0)
        g_unlink (f->tmp_path);
      break;
    case ATOMIC_THROUGH:
    case ATOMIC_STDOUT:
      break;
    }
  if (err != 0)
    set_io_error (error, err, "write", f->path);
  atomic_file_free (f);
  return err == 0;
}

void
atomic_file_abandon (AtomicFile *f)
{
  if (f == NULL)
    return;
  close_stream (f);
  switch (f->mode)
    {
    case ATOMIC_RENAME:
      temp_files_remove (f->tmp_path);
      g_unlink (f->tmp_path);
      break;
    case ATOMIC_THROUGH:
    case ATOMIC_STDOUT:
      break;
    }
  atomic_file_free (f);
}
