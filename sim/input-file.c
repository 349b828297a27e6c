/* input-file.c: regular files only, opened without blocking
 * (input-file.h). */
#include "input-file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
fail (GError **error, GFileError code, const char *path, const char *why)
{
  g_set_error (error, G_FILE_ERROR, code, "cannot read %s: %s", path, why);
  return FALSE;
}

/* A descriptor on a regular file, or -1; st is filled in. */
static int
open_regular (const char *path, struct stat *st, GError **error)
{
  /* O_NONBLOCK: opening a FIFO without a writer does not wait. */
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved = errno;
      fail (error, g_file_error_from_errno (saved), path, g_strerror (saved));
      return -1;
    }
  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      close (fd);
      fail (error, S_ISDIR (st->st_mode) ? G_FILE_ERROR_ISDIR : G_FILE_ERROR_INVAL, path,
            S_ISDIR (st->st_mode) ? "is a directory" : "not a regular file (a device, FIFO or socket is not read)");
      return -1;
    }
  /* Reads from a regular file never block; clear the flag all the same. */
  int flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

FILE *
input_file_open (const char *path, GError **error)
{
  struct stat st;
  int fd = open_regular (path, &st, error);
  if (fd < 0)
    return NULL;
  FILE *file = fdopen (fd, "r");
  if (file == NULL)
    {
      int saved = errno;
      close (fd);
      fail (error, g_file_error_from_errno (saved), path, g_strerror (saved));
    }
  return file;
}

gboolean
input_file_read (const char *path, gsize max_bytes, char **text, gsize *len, GError **error)
{
  struct stat st;
  int fd = open_regular (path, &st, error);
  if (fd < 0)
    return FALSE;
  if ((guint64) st.st_size > max_bytes)
    {
      close (fd);
      g_autofree char *why = g_strdup_printf ("larger than the limit of %" G_GSIZE_FORMAT " MiB",
                                              max_bytes >> 20);
      return fail (error, G_FILE_ERROR_FAILED, path, why);
    }
  /* The size may change under us: read at most max_bytes + 1. */
  GString *buf = g_string_sized_new ((gsize) st.st_size + 1);
  char chunk[65536];
  ssize_t n;
  while ((n = read (fd, chunk, sizeof chunk)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || buf->len + (gsize) n > max_bytes)
        {
          int saved = n < 0 ? errno : EFBIG;
          close (fd);
          g_string_free (buf, TRUE);
          return fail (error, g_file_error_from_errno (saved), path,
                       saved == EFBIG ? "grew past the size limit while being read" : g_strerror (saved));
        }
      g_string_append_len (buf, chunk, n);
    }
  close (fd);
  *len = buf->len;
  *text = g_string_free (buf, FALSE);
  return TRUE;
}
