/* pkt-calls.c: call lines (socket, setsockopt, bind, ...) with their
 * results and errno, into scenario calls on the script's file descriptors. */
#include "pkt-cursor.h"

#include "socket.h"

#include <errno.h>
#include <string.h>

typedef enum {
  ARG_ELLIPSIS, ARG_INT, ARG_WORDS, ARG_BRACKET, ARG_BRACE, ARG_STRING,
} ArgKind;

typedef struct {
  ArgKind kind;
  ScenarioLoc loc;
  gint64 num;          /* INT; BRACKET [N] */
  char *words;         /* WORDS "O_RDWR|O_NONBLOCK"; BRACKET [WORD] */
  gint64 onoff, linger; /* BRACE {onoff=N, linger=N} */
} PktArg;

static void
pkt_arg_free (gpointer p)
{
  PktArg *a = p;
  g_free (a->words);
  g_free (a);
}

static gboolean
read_brace_arg (Reader *r, PktArg *a, GError **error)
{
  a->kind = ARG_BRACE;
  do
    {
      if (!pkt_skip_blanks (r, error))
        return FALSE;
      ScenarioLoc loc = pkt_here (r);
      g_autofree char *key = pkt_read_word (r);
      guint64 v = 0;
      if (!pkt_expect_char (r, '=', error) || !pkt_read_number (r, G_MAXINT32, "a number", &v, error))
        return FALSE;
      if (strcmp (key, "onoff") == 0 || strcmp (key, "l_onoff") == 0)
        a->onoff = (gint64) v;
      else if (strcmp (key, "linger") == 0 || strcmp (key, "l_linger") == 0)
        a->linger = (gint64) v;
      else
        return pkt_fail (error, &loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                     "unknown field '%s' (SO_LINGER takes {onoff=N, linger=N})", key);
    }
  while (pkt_accept_char (r, ',', error));
  return *error == NULL && pkt_expect_char (r, '}', error);
}

static gboolean
read_arg (Reader *r, GPtrArray *args, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  PktArg *a = g_new0 (PktArg, 1);
  g_ptr_array_add (args, a);
  a->loc = pkt_here (r);
  int c = pkt_peek (r);
  guint64 v = 0;
  if (c == '.' && pkt_peek_at (r, 1) == '.' && pkt_peek_at (r, 2) == '.')
    {
      pkt_step (r);
      pkt_step (r);
      pkt_step (r);
      a->kind = ARG_ELLIPSIS;
      return TRUE;
    }
  if (g_ascii_isdigit (c))
    {
      a->kind = ARG_INT;
      if (!pkt_read_number (r, G_MAXINT32, "a number", &v, error))
        return FALSE;
      a->num = (gint64) v;
      return TRUE;
    }
  if (c == '[')
    {
      pkt_step (r);
      a->kind = ARG_BRACKET;
      if (!pkt_skip_blanks (r, error))
        return FALSE;
      if (g_ascii_isalpha (pkt_peek (r)))
        a->words = pkt_read_word (r);
      else if (!pkt_read_number (r, G_MAXINT32, "a number", &v, error))
        return FALSE;
      a->num = (gint64) v;
      return pkt_expect_char (r, ']', error);
    }
  if (c == '{')
    {
      pkt_step (r);
      return read_brace_arg (r, a, error);
    }
  if (c == '"')
    {
      a->kind = ARG_STRING;
      pkt_step (r);
      while (pkt_peek (r) >= 0 && pkt_peek (r) != '"' && pkt_peek (r) != '\n')
        pkt_step (r);
      if (pkt_peek (r) != '"')
        return pkt_fail (error, &a->loc, SCENARIO_ERROR_BAD_STRING, "unterminated string");
      pkt_step (r);
      return TRUE;
    }
  if (g_ascii_isalpha (c) || c == '_')
    {
      a->kind = ARG_WORDS;
      GString *w = g_string_new (NULL);
      do
        {
          if (!pkt_skip_blanks (r, error))
            {
              g_string_free (w, TRUE);
              return FALSE;
            }
          g_autofree char *word = pkt_read_word (r);
          if (*word == '\0')
            {
              g_string_free (w, TRUE);
              return pkt_fail_expected (r, "a name after '|'", error);
            }
          g_string_append_printf (w, "%s%s", w->len ? "|" : "", word);
        }
      while (pkt_accept_char (r, '|', error));
      a->words = g_string_free (w, FALSE);
      return *error == NULL;
    }
  return pkt_fail_expected (r, "an argument (a number, a name, ..., [N] or {...})", error);
}

typedef struct {
  const char *name;
  guint n_args;
} PktCallShape;

static const PktCallShape call_shapes[] = {
  { "socket", 3 }, { "setsockopt", 5 }, { "getsockopt", 5 }, { "bind", 3 }, { "listen", 2 },
  { "accept", 3 }, { "connect", 3 }, { "fcntl", 3 }, { "write", 3 }, { "send", 4 },
  { "read", 3 }, { "recv", 4 }, { "shutdown", 2 }, { "close", 1 },
};

static const PktCallShape *
find_call (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (call_shapes); i++)
    if (strcmp (call_shapes[i].name, name) == 0)
      return &call_shapes[i];
  return NULL;
}

/* The expected result: `= N`, `= -1 ERRNO`, optionally `(text)`. */
typedef struct {
  gint64 ret;
  int err;
  const char *err_name;
} PktResult;

static int
errno_by_name (const char *name)
{
  for (int e = 1; e < 200; e++)
    if (strcmp (sock_errno_name (e), name) == 0)
      return e;
  if (strcmp (name, "EWOULDBLOCK") == 0)
    return EWOULDBLOCK;
  return 0;
}

static gboolean
read_result (Reader *r, PktResult *res, GError **error)
{
  if (!pkt_expect_char (r, '=', error) || !pkt_skip_blanks (r, error))
    return FALSE;
  gboolean negative = pkt_peek (r) == '-';
  if (negative)
    pkt_step (r);
  guint64 v = 0;
  if (!pkt_read_number (r, G_MAXINT32, "the call's result", &v, error))
    return FALSE;
  res->ret = negative ? -(gint64) v : (gint64) v;
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  if (res->ret != -1)
    return TRUE;
  ScenarioLoc loc = pkt_here (r);
  g_autofree char *name = pkt_read_word (r);
  if (*name == '\0')
    return pkt_fail_expected (r, "an errno name after -1 (as in -1 ECONNREFUSED)", error);
  res->err = errno_by_name (name);
  if (res->err == 0)
    return pkt_fail (error, &loc, SCENARIO_ERROR_UNKNOWN_ERRNO, "unknown errno '%s'", name);
  res->err_name = sock_errno_name (res->err);
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  if (pkt_peek (r) == '(')
    {
      while (pkt_peek (r) >= 0 && pkt_peek (r) != ')' && pkt_peek (r) != '\n')
        pkt_step (r);
      if (pkt_peek (r) != ')')
        return pkt_fail (error, &loc, SCENARIO_ERROR_SYNTAX, "unterminated '(' after the errno");
      pkt_step (r);
    }
  return TRUE;
}


static ScenarioArg *
new_arg (ScenarioArgKind kind, const ScenarioLoc *loc)
{
  return scenario_arg_new (kind, loc);
}

static ScenarioArg *
ident_arg (const ScenarioLoc *loc, const char *name)
{
  ScenarioArg *a = new_arg (SCENARIO_ARG_IDENT, loc);
  a->ident = g_intern_string (name);
  return a;
}

static ScenarioArg *
int_arg (const ScenarioLoc *loc, gint64 n)
{
  ScenarioArg *a = new_arg (SCENARIO_ARG_INT, loc);
  a->num = n;
  return a;
}

static ScenarioArg *
endpoint_arg (const ScenarioLoc *loc, guint32 ip, guint16 port)
{
  ScenarioArg *a = new_arg (SCENARIO_ARG_ENDPOINT, loc);
  a->ip = scenario_addr_ip4 (ip);
  a->port = port;
  return a;
}

static const PktArg *
arg_of (GPtrArray *args, guint i)
{
  return g_ptr_array_index (args, i);
}

/* The socket variable of an fd argument: "fd3". */
static gboolean
fd_var (Reader *r, const PktArg *a, char **var, GError **error)
{
  if (a->kind != ARG_INT)
    return pkt_fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected a file descriptor number");
  *var = g_strdup_printf ("fd%" G_GINT64_FORMAT, a->num);
  if (!g_hash_table_contains (r->fds, *var))
    return pkt_fail (error, &a->loc, SCENARIO_ERROR_UNKNOWN_VARIABLE,
                 "fd %" G_GINT64_FORMAT " is not open in the script (socket() or accept() "
                 "returns it first)", a->num);
  return TRUE;
}

static gboolean
int_or_bracket (const PktArg *a, gint64 *out, GError **error)
{
  if ((a->kind == ARG_INT || a->kind == ARG_BRACKET) && a->words == NULL)
    {
      *out = a->num;
      return TRUE;
    }
  return pkt_fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected a number or [N]");
}

static gboolean
words_arg (const PktArg *a, const char *const *allowed, const char *what, GError **error)
{
  if (a->kind == ARG_WORDS && g_strv_contains (allowed, a->words))
    return TRUE;
  g_autofree char *list = g_strjoinv (", ", (char **) allowed);
  return pkt_fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected %s (%s)", what, list);
}

static gboolean
setsockopt_args (Reader *r, GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const levels[] = { "SOL_SOCKET", "IPPROTO_TCP", "SOL_TCP", NULL };
  static const char *const opts[] = { "SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE",
                                      "TCP_NODELAY", "SO_LINGER", NULL };
  const PktArg *opt = arg_of (args, 2), *val = arg_of (args, 3);
  if (!words_arg (arg_of (args, 1), levels, "a level", error))
    return FALSE;
  if (opt->kind != ARG_WORDS || !g_strv_contains (opts, opt->words))
    return pkt_fail (error, &opt->loc, SCENARIO_ERROR_UNKNOWN_OPTION,
                 "socket option %s is not modelled (known: SO_REUSEADDR, SO_REUSEPORT, "
                 "SO_KEEPALIVE, TCP_NODELAY, SO_LINGER)", opt->kind == ARG_WORDS ? opt->words : "?");
  scenario_call_add_arg (call, ident_arg (&opt->loc, opt->words));
  if (strcmp (opt->words, "SO_LINGER") == 0)
    {
      if (val->kind != ARG_BRACE)
        return pkt_fail (error, &val->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                     "SO_LINGER takes {onoff=N, linger=N}");
      ScenarioArg *pair = new_arg (SCENARIO_ARG_PAIR, &val->loc);
      pair->pair[0] = val->onoff;
      pair->pair[1] = val->linger;
      scenario_call_add_arg (call, pair);
      return TRUE;
    }
  gint64 v = 0;
  if (!int_or_bracket (val, &v, error))
    return FALSE;
  scenario_call_add_arg (call, int_arg (&val->loc, v));
  return TRUE;
}

static gboolean
getsockopt_args (GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const levels[] = { "SOL_SOCKET", NULL };
  static const char *const opts[] = { "SO_ERROR", NULL };
  const PktArg *val = arg_of (args, 3);
  if (!words_arg (arg_of (args, 1), levels, "a level", error)
      || !words_arg (arg_of (args, 2), opts, "an option getsockopt() models", error))
    return FALSE;
  scenario_call_add_arg (call, ident_arg (&arg_of (args, 2)->loc, "SO_ERROR"));
  if (val->kind == ARG_BRACKET && val->words != NULL && errno_by_name (val->words) != 0)
    scenario_call_add_arg (call, ident_arg (&val->loc, sock_errno_name (errno_by_name (val->words))));
  else if (val->kind == ARG_BRACKET && val->words == NULL && val->num == 0)
    scenario_call_add_arg (call, int_arg (&val->loc, 0));
  else if (val->kind == ARG_BRACKET && val->words == NULL && strcmp (sock_errno_name ((int) val->num), "E?") != 0)
    scenario_call_add_arg (call, ident_arg (&val->loc, sock_errno_name ((int) val->num)));
  else
    return pkt_fail (error, &val->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                 "expected [0] or [ERRNO] as the value of SO_ERROR");
  return TRUE;
}

static gboolean
fcntl_args (GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const cmds[] = { "F_SETFL", NULL };
  const PktArg *flags = arg_of (args, 2);
  if (!words_arg (arg_of (args, 1), cmds, "a command fcntl() models", error))
    return FALSE;
  scenario_call_add_arg (call, ident_arg (&arg_of (args, 1)->loc, "F_SETFL"));
  if (flags->kind == ARG_INT)
    {
      scenario_call_add_arg (call, int_arg (&flags->loc, 0));
      return TRUE;
    }
  if (flags->kind != ARG_WORDS)
    return pkt_fail (error, &flags->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected file status flags");
  g_auto (GStrv) words = g_strsplit (flags->words, "|", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (strcmp (words[i], "O_RDWR") != 0 && strcmp (words[i], "O_NONBLOCK") != 0
        && strcmp (words[i], "O_RDONLY") != 0 && strcmp (words[i], "O_WRONLY") != 0)
      return pkt_fail (error, &flags->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                   "file status flag %s is not modelled (O_NONBLOCK, O_RDWR)", words[i]);
  if (g_strv_contains ((const char *const *) words, "O_NONBLOCK"))
    scenario_call_add_arg (call, ident_arg (&flags->loc, "O_NONBLOCK"));
  else
    scenario_call_add_arg (call, int_arg (&flags->loc, 0));
  return TRUE;
}

static gboolean
count_arg (GPtrArray *args, guint i, ScenarioCall *call, GError **error)
{
  const PktArg *a = arg_of (args, i);
  if (a->kind != ARG_INT)
    return pkt_fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected a byte count");
  scenario_call_add_arg (call, int_arg (&a->loc, a->num));
  return TRUE;
}

/* The call's own arguments (after the socket variable). */
static gboolean
call_args (Reader *r, const char *name, GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const shuts[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR", NULL };
  const ScenarioLoc *loc = &call->loc;
  switch (call->kind)
    {
    case SCENARIO_CALL_SETSOCKOPT:
      return setsockopt_args (r, args, call, error);
    case SCENARIO_CALL_GETSOCKOPT:
      return getsockopt_args (args, call, error);
    case SCENARIO_CALL_FCNTL:
      return fcntl_args (args, call, error);
    case SCENARIO_CALL_BIND:
      scenario_call_add_arg (call, endpoint_arg (loc, PKT_LOCAL_IP, PKT_PORT));
      return TRUE;
    case SCENARIO_CALL_CONNECT:
      r->connect_mode = TRUE;
      scenario_call_add_arg (call, endpoint_arg (loc, PKT_REMOTE_IP, PKT_PORT));
      return TRUE;
    case SCENARIO_CALL_LISTEN:
      return count_arg (args, 1, call, error);
    case SCENARIO_CALL_WRITE:
    case SCENARIO_CALL_READ:
      return count_arg (args, 2, call, error);
    case SCENARIO_CALL_SHUTDOWN:
      if (!words_arg (arg_of (args, 1), shuts, "a shutdown mode", error))
        return FALSE;
      scenario_call_add_arg (call, ident_arg (&arg_of (args, 1)->loc, arg_of (args, 1)->words));
      return TRUE;
    case SCENARIO_CALL_ACCEPT:
    case SCENARIO_CALL_CLOSE:
    case SCENARIO_CALL_SOCKET:
    case SCENARIO_CALL_EXIT:
      return TRUE;
    }
  (void) name;
  return TRUE;
}

static ScenarioCallKind
call_kind (const char *name)
{
  static const struct {
    const char *name;
    ScenarioCallKind kind;
  } kinds[] = {
    { "socket", SCENARIO_CALL_SOCKET }, { "setsockopt", SCENARIO_CALL_SETSOCKOPT },
    { "getsockopt", SCENARIO_CALL_GETSOCKOPT }, { "bind", SCENARIO_CALL_BIND },
    { "listen", SCENARIO_CALL_LISTEN }, { "accept", SCENARIO_CALL_ACCEPT },
    { "connect", SCENARIO_CALL_CONNECT }, { "fcntl", SCENARIO_CALL_FCNTL },
    { "write", SCENARIO_CALL_WRITE }, { "send", SCENARIO_CALL_WRITE },
    { "read", SCENARIO_CALL_READ }, { "recv", SCENARIO_CALL_READ },
    { "shutdown", SCENARIO_CALL_SHUTDOWN }, { "close", SCENARIO_CALL_CLOSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i].name, name) == 0)
      return kinds[i].kind;
  g_return_val_if_reached (SCENARIO_CALL_CLOSE);
}

static gboolean
add_call (Reader *r, const char *name, GPtrArray *args, const PktResult *res, const PktTime *t,
          const ScenarioLoc *loc, GError **error)
{
  g_autoptr (ScenarioCall) call = scenario_call_new (call_kind (name), loc);
  call->has_expect = TRUE;
  call->expect_ret = res->ret;
  call->expect_errno = res->err;
  call->expect_errno_name = res->err_name;
  if (call->kind == SCENARIO_CALL_SOCKET)
    {
      static const char *const types[] = { "SOCK_STREAM", NULL };
      if (!words_arg (arg_of (args, 1), types, "a socket type twsim models", error))
        return FALSE;
    }
  else
    {
      g_autofree char *var = NULL;
      if (!fd_var (r, arg_of (args, 0), &var, error))
        return FALSE;
      scenario_call_add_arg (call, ident_arg (&arg_of (args, 0)->loc, var));
      if (!call_args (r, name, args, call, error))
        return FALSE;
    }
  if (call->kind == SCENARIO_CALL_SOCKET || call->kind == SCENARIO_CALL_ACCEPT)
    {
      g_autofree char *var = res->ret >= 0 ? g_strdup_printf ("fd%" G_GINT64_FORMAT, res->ret)
                                           : g_strdup ("fd_failed");
      call->assign_to = g_intern_string (var);
      /* run_system_call.c: socket() and accept() results are checked as
       * non-negative only; the script's number names the live fd. */
      call->expect_any_fd = TRUE;
      g_hash_table_add (r->fds, g_strdup (call->assign_to));
    }
  if (t->blocking)
    {
      call->has_return_window = TRUE;
      call->return_lo = MAX (t->end - r->opts->tolerance, 0);
      call->return_hi = t->end + r->opts->tolerance;
    }
  ScenarioStep *st = scenario_step_new (SCENARIO_STEP_CALLS, loc, t->start);
  st->host = g_intern_static_string ("local");
  st->time_relative = t->relative;
  scenario_step_add_call (st, g_steal_pointer (&call));
  g_ptr_array_add (r->script->steps, st);
  return TRUE;
}

gboolean
pkt_read_call (Reader *r, const PktTime *t, const ScenarioLoc *loc, GError **error)
{
  ScenarioLoc name_loc = pkt_here (r);
  g_autofree char *name = pkt_read_word (r);
  const PktCallShape *shape = find_call (name);
  if (shape == NULL)
    return pkt_fail (error, &name_loc, SCENARIO_ERROR_UNKNOWN_CALL,
                 "unknown or unmodelled call '%s' (known: socket, setsockopt, getsockopt, bind, "
                 "listen, accept, connect, fcntl, write, send, read, recv, shutdown, close)",
                 name);
  if (!pkt_expect_char (r, '(', error))
    return FALSE;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (pkt_arg_free);
  if (!pkt_accept_char (r, ')', error))
    {
      if (*error != NULL)
        return FALSE;
      do
        {
          if (!read_arg (r, args, error))
            return FALSE;
        }
      while (pkt_accept_char (r, ',', error));
      if (*error != NULL || !pkt_expect_char (r, ')', error))
        return FALSE;
    }
  if (args->len != shape->n_args)
    return pkt_fail (error, &name_loc, SCENARIO_ERROR_BAD_ARGUMENTS, "%s() takes %u arguments but got %u",
                 name, shape->n_args, args->len);
  PktResult res = { 0 };
  if (!read_result (r, &res, error))
    return FALSE;
  if (t->any || t->end != t->start)
    {
      if (!t->blocking)
        return pkt_fail (error, &name_loc, SCENARIO_ERROR_BAD_TIME,
                     "a call needs one start time (or START...END for a blocking call)");
    }
  return add_call (r, name, args, &res, t, loc, error);
}

