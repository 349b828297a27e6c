/* scenario-parser.c: tokens -> ScenarioScript, stopping at the first error.
 *
 * A hand-written recursive-descent parser over one line at a time. It holds
 * exactly one token of lookahead (p->tok), so the lexer position is always
 * just past it; scenario_lexer_next_word relies on that for key=value. */
#include "scenario-parser.h"
#include "sim-suggest.h"

#include "input-file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario-lexer.h"

G_DEFINE_QUARK (scenario-error-quark, scenario_error)

void
scenario_set_error_at (GError **error, const ScenarioLoc *loc, ScenarioError code,
                       const char *format, ...)
{
  va_list args;

  if (error == NULL)
    return;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  if (loc == NULL || loc->file == NULL)
    g_set_error_literal (error, SCENARIO_ERROR, code, message);
  else
    g_set_error (error, SCENARIO_ERROR, code, "%s:%u:%u: %s", loc->file, loc->line,
                 loc->col, message);
}

/* ---- tables ------------------------------------------------------------ */

typedef struct {
  const char *name;
  ScenarioCallKind kind;
  guint min_args, max_args;
  gboolean assigns; /* returns a socket that must be assigned */
  const char *usage;
} CallInfo;

static const CallInfo call_table[] = {
  { "socket", SCENARIO_CALL_SOCKET, 0, 1, TRUE, "V = socket() or V = socket(SOCK_STREAM)" },
  { "setsockopt", SCENARIO_CALL_SETSOCKOPT, 3, 3, FALSE, "setsockopt(V, OPTION, VALUE)" },
  { "bind", SCENARIO_CALL_BIND, 2, 2, FALSE, "bind(V, ADDRESS:PORT)" },
  { "listen", SCENARIO_CALL_LISTEN, 2, 2, FALSE, "listen(V, BACKLOG)" },
  { "accept", SCENARIO_CALL_ACCEPT, 1, 1, TRUE, "V2 = accept(V)" },
  { "connect", SCENARIO_CALL_CONNECT, 2, 2, FALSE, "connect(V, ADDRESS:PORT)" },
  { "write", SCENARIO_CALL_WRITE, 2, 2, FALSE, "write(V, \"DATA\") or write(V, COUNT)" },
  { "read", SCENARIO_CALL_READ, 2, 2, FALSE, "read(V, COUNT)" },
  { "shutdown", SCENARIO_CALL_SHUTDOWN, 2, 2, FALSE, "shutdown(V, SHUT_RD|SHUT_WR|SHUT_RDWR)" },
  { "close", SCENARIO_CALL_CLOSE, 1, 1, FALSE, "close(V)" },
  { "exit", SCENARIO_CALL_EXIT, 0, 0, FALSE, "exit()" },
  { "fcntl", SCENARIO_CALL_FCNTL, 3, 3, FALSE, "fcntl(V, F_SETFL, O_NONBLOCK or 0)" },
  { "getsockopt", SCENARIO_CALL_GETSOCKOPT, 3, 3, FALSE,
    "getsockopt(V, SO_ERROR, 0 or ERRNO)" },
};

static const struct {
  const char *name;
  int value;
} errno_table[] = {
  { "EBADF", EBADF },
  { "EINVAL", EINVAL },
  { "ENOTCONN", ENOTCONN },
  { "EISCONN", EISCONN },
  { "ECONNREFUSED", ECONNREFUSED },
  { "ECONNRESET", ECONNRESET },
  { "EPIPE", EPIPE },
  { "ETIMEDOUT", ETIMEDOUT },
  { "EADDRINUSE", EADDRINUSE },
  { "EADDRNOTAVAIL", EADDRNOTAVAIL },
  { "EAGAIN", EAGAIN },
  { "EWOULDBLOCK", EWOULDBLOCK },
  { "EALREADY", EALREADY },
  { "EINPROGRESS", EINPROGRESS },
  { "ENOTSOCK", ENOTSOCK },
  { "EOPNOTSUPP", EOPNOTSUPP },
  { "EAFNOSUPPORT", EAFNOSUPPORT },
  { "ECONNABORTED", ECONNABORTED },
  { "EACCES", EACCES },
  { "EPERM", EPERM },
  { "EMFILE", EMFILE },
  { "ENOBUFS", ENOBUFS },
  { "EHOSTUNREACH", EHOSTUNREACH },
  { "ENETUNREACH", ENETUNREACH },
  { "ENOPROTOOPT", ENOPROTOOPT },
  { "EDESTADDRREQ", EDESTADDRREQ },
};

/* RFC 9293 §3.3.2 state names. */
static const char *const state_names[] = {
  "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
  "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT", NULL,
};

static const char *const int_options[] = {
  "SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE", "TCP_NODELAY", "SO_EXCLUSIVEADDRUSE",
  "IPV6_V6ONLY", NULL,
};

static const char *const shutdown_modes[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR", NULL };

static const struct {
  const char *name;
  guint8 bit;
} flag_table[] = {
  { "FIN", SCENARIO_TCP_FIN }, { "SYN", SCENARIO_TCP_SYN }, { "RST", SCENARIO_TCP_RST },
  { "PSH", SCENARIO_TCP_PSH }, { "ACK", SCENARIO_TCP_ACK }, { "URG", SCENARIO_TCP_URG },
};

/* For "did you mean": the words of each place, NULL-terminated. */
static const char *const call_words[] = {
  "socket", "setsockopt", "bind", "listen", "accept", "connect", "write", "read",
  "shutdown", "close", "exit", NULL,
};
static const char *const directive_words[] = { "seed", "host", "peer", "link", "process", NULL };
static const char *const selector_words[] = {
  "any", "data", "FIN", "SYN", "RST", "PSH", "ACK", "URG", NULL,
};
static const char *const fault_action_words[] = { "drop", "duplicate", "delay", "hold", NULL };
static const char *const expect_words[] = { "state", "read", NULL };

/* Words that cannot name a host because a line could then mean two things
 * (`expect corruption`, `expect hazard H2`). */
static const char *const reserved_words[] = {
  "seed", "host", "link", "expect", "corruption", "hazard", "end", "crash", "reboot",
  "peer", "inject", "segment", NULL,
};

/* `expect hazard NAME`: the names of the verdicts (RFC 1337 section 2). */
static const struct {
  const char *name;
  ScenarioVerdictKind kind;
} hazard_table[] = {
  { "H1", SCENARIO_VERDICT_CORRUPTION },
  { "corruption", SCENARIO_VERDICT_CORRUPTION },
  { "H2", SCENARIO_VERDICT_H2 },
  { "H3", SCENARIO_VERDICT_H3 },
  { "assassination", SCENARIO_VERDICT_ASSASSINATION },
  { "TWA", SCENARIO_VERDICT_ASSASSINATION },
  { "reuse", SCENARIO_VERDICT_REUSE },
};

/* ---- parser state and helpers ------------------------------------------ */

typedef struct {
  ScenarioLexer *lexer;
  ScenarioToken tok;
  ScenarioScript *script;
  GHashTable *vars; /* host name -> set of socket variable names */
  SimTime last_time;
  guint last_time_line; /* 0 before the first timed line */
  GHashTable *down;     /* host name -> line of its `crash`, until `reboot` */
} Parser;

static gboolean
fail_at (GError **error, const ScenarioLoc *loc, ScenarioError code, const char *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (GError **error, const ScenarioLoc *loc, ScenarioError code, const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  scenario_set_error_at (error, loc, code, "%s", message);
  return FALSE;
}

/* "expected WHAT but found TOKEN" at the current token. */
static gboolean
fail_expected (Parser *p, ScenarioError code, const char *what, GError **error)
{
  g_autofree char *found = scenario_token_describe (&p->tok);
  return fail_at (error, &p->tok.loc, code, "expected %s but found %s", what, found);
}

static gboolean
advance (Parser *p, GError **error)
{
  return scenario_lexer_next (p->lexer, &p->tok, error);
}

static gboolean
at_line_end (const Parser *p)
{
  return p->tok.kind == SCENARIO_TOKEN_NEWLINE || p->tok.kind == SCENARIO_TOKEN_EOF;
}

static gboolean
expect_line_end (Parser *p, GError **error)
{
  if (!at_line_end (p))
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "end of line", error);
  return TRUE;
}

/* Consumes a token of the given kind, or fails with "expected WHAT". */
static gboolean
expect_token (Parser *p, ScenarioTokenKind kind, const char *what, GError **error)
{
  if (p->tok.kind != kind)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, what, error);
  return advance (p, error);
}

static int
table_find (const char *const *table, const ScenarioToken *tok)
{
  for (int i = 0; table[i] != NULL; i++)
    if (scenario_token_is_ident (tok, table[i]))
      return i;
  return -1;
}

static char *
table_join (const char *const *table)
{
  return g_strjoinv (", ", (char **) table);
}

static char *
host_names (const ScenarioScript *script)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < script->hosts->len; i++)
    {
      const ScenarioHost *host = g_ptr_array_index (script->hosts, i);
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", host->name);
    }
  return g_string_free (names, FALSE);
}

static gboolean
token_to_int64 (const ScenarioToken *tok, gint64 *out, GError **error)
{
  if (tok->magnitude > (guint64) G_MAXINT64 + (tok->negative ? 1 : 0))
    return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_NUMBER,
                    "number '%.*s' is out of range", (int) tok->len, tok->text);
  if (tok->negative && tok->magnitude > 0)
    *out = -(gint64) (tok->magnitude - 1) - 1;
  else
    *out = (gint64) tok->magnitude;
  return TRUE;
}

/* Reads an identifier that names a declared host, and advances. */
static gboolean
parse_host_ref (Parser *p, char **name, ScenarioLoc *loc, GError **error)
{
  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a host name", error);
  g_autofree char *text = scenario_token_dup_text (&p->tok);
  if (scenario_script_find_host (p->script, text) == NULL)
    {
      g_autofree char *names = host_names (p->script);
      if (*names == '\0')
        return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_HOST,
                        "unknown host '%s' (no host is declared yet)", text);
      return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_HOST,
                      "unknown host '%s' (declared hosts: %s)", text, names);
    }
  *loc = p->tok.loc;
  *name = g_steal_pointer (&text);
  return advance (p, error);
}

/* The subject of a timed line: a host (its default process) or a process
 * declared with `process NAME on HOST`; advances. */
static gboolean
parse_subject_ref (Parser *p, char **name, ScenarioLoc *loc, GError **error)
{
  if (p->tok.kind == SCENARIO_TOKEN_IDENT)
    {
      g_autofree char *text = scenario_token_dup_text (&p->tok);
      if (scenario_script_find_process (p->script, text) != NULL)
        {
          *loc = p->tok.loc;
          *name = g_steal_pointer (&text);
          return advance (p, error);
        }
    }
  return parse_host_ref (p, name, loc, error);
}

/* parse_host_ref or parse_subject_ref (subject) into an interned name:
 * the host of a timed line (scenario-script.h). */
static gboolean
parse_step_host (Parser *p, gboolean subject, const char **name, ScenarioLoc *loc,
                 GError **error)
{
  g_autofree char *text = NULL;
  if (!(subject ? parse_subject_ref (p, &text, loc, error)
                : parse_host_ref (p, &text, loc, error)))
    return FALSE;
  *name = g_intern_string (text);
  return TRUE;
}

static gboolean parse_settings (Parser *p, GPtrArray *settings, GError **error);

/* `process NAME on HOST [uid=N]` */
static gboolean
parse_process (Parser *p, GError **error)
{
  ScenarioLoc host_loc;
  g_autofree char *host = NULL;
  guint64 uid = 0;

  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a process name", error);
  g_autofree char *name = scenario_token_dup_text (&p->tok);
  ScenarioLoc loc = p->tok.loc;
  if (table_find (reserved_words, &p->tok) >= 0)
    return fail_at (error, &loc, SCENARIO_ERROR_INVALID,
                    "'%s' is a reserved word and cannot name a process", name);
  if (scenario_script_find_host (p->script, name) != NULL
      || scenario_script_find_process (p->script, name) != NULL)
    return fail_at (error, &loc, SCENARIO_ERROR_INVALID,
                    "'%s' already names a host or a process", name);
  if (!advance (p, error))
    return FALSE;
  if (!scenario_token_is_ident (&p->tok, "on"))
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "'on' (process NAME on HOST)", error);
  if (!advance (p, error) || !parse_host_ref (p, &host, &host_loc, error))
    return FALSE;
  g_autoptr (GPtrArray) settings = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_setting_free);
  if (!parse_settings (p, settings, error))
    return FALSE;
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      if (strcmp (s->key, "uid") != 0)
        return fail_at (error, &s->key_loc, SCENARIO_ERROR_INVALID,
                        "unknown process setting '%s' (known: uid)", s->key);
      if (!g_ascii_string_to_unsigned (s->value, 10, 0, G_MAXUINT32 - 1, &uid, NULL))
        return fail_at (error, &s->value_loc, SCENARIO_ERROR_INVALID,
                        "bad uid '%s': expected a number from 0 (root) up", s->value);
    }
  g_ptr_array_add (p->script->processes,
                   scenario_process_new (name, host, (guint) uid, &loc));
  return TRUE;
}

static GHashTable *
host_vars (Parser *p, const char *host)
{
  GHashTable *vars = g_hash_table_lookup (p->vars, host);

  if (vars == NULL)
    {
      vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (p->vars, g_strdup (host), vars);
    }
  return vars;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
check_var (Parser *p, const char *host, const char *var, const ScenarioLoc *loc,
           GError **error)
{
  GHashTable *vars = host_vars (p, host);
  guint n;

  gpointer exited_at = NULL;
  if (g_hash_table_lookup_extended (vars, var, NULL, &exited_at))
    {
      if (exited_at == NULL)
        return TRUE;
      /* exit() closed the socket and dropped the variable's binding: what
       * it names from then on (CLOSED, EBADF) says nothing about the
       * connection, which may live on (FIN-WAIT-2, TIME-WAIT). */
      return fail_at (error, loc, SCENARIO_ERROR_UNKNOWN_VARIABLE,
                      "socket '%s' on %s was closed by exit() on line %u, so it names "
                      "nothing any more (hint: check it before the exit(), or assign it "
                      "again with socket() or accept())",
                      var, host, GPOINTER_TO_UINT (exited_at));
    }
  g_autofree const char **known = (const char **) g_hash_table_get_keys_as_array (vars, &n);
  if (n == 0)
    return fail_at (error, loc, SCENARIO_ERROR_UNKNOWN_VARIABLE,
                    "unknown socket '%s' on host %s (no socket is assigned there yet; "
                    "write %s = socket() first)", var, host, var);
  qsort (known, n, sizeof *known, compare_strings);
  g_autofree char *list = g_strjoinv (", ", (char **) known);
  return fail_at (error, loc, SCENARIO_ERROR_UNKNOWN_VARIABLE,
                  "unknown socket '%s' on host %s (assigned so far: %s)", var, host, list);
}

/* ---- settings, seed, host, link ---------------------------------------- */

static gboolean
parse_settings (Parser *p, GPtrArray *settings, GError **error)
{
  while (!at_line_end (p))
    {
      if (p->tok.kind != SCENARIO_TOKEN_IDENT)
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a setting key=value", error);
      g_autofree char *key = scenario_token_dup_text (&p->tok);
      ScenarioLoc key_loc = p->tok.loc;
      for (guint i = 0; i < settings->len; i++)
        {
          const ScenarioSetting *s = g_ptr_array_index (settings, i);
          if (strcmp (s->key, key) == 0)
            return fail_at (error, &key_loc, SCENARIO_ERROR_INVALID,
                            "setting '%s' is given twice on this line", key);
        }
      if (!advance (p, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_EQUALS)
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "'=' after the setting key", error);
      if (!scenario_lexer_next_word (p->lexer, &p->tok, error))
        return FALSE;
      g_autofree char *value = scenario_token_dup_text (&p->tok);
      g_ptr_array_add (settings, scenario_setting_new (key, &key_loc, value, &p->tok.loc));
      if (!advance (p, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_seed (Parser *p, GError **error)
{
  ScenarioScript *script = p->script;
  ScenarioLoc loc = p->tok.loc;

  if (script->has_seed)
    return fail_at (error, &loc, SCENARIO_ERROR_DUPLICATE_SEED,
                    "the seed is already set on line %u", script->seed_loc.line);
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_INT)
    return fail_expected (p, SCENARIO_ERROR_BAD_NUMBER, "a seed (an unsigned number)",
                          error);
  if (p->tok.negative)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_NUMBER,
                    "the seed must not be negative");
  script->has_seed = TRUE;
  script->seed = p->tok.magnitude;
  script->seed_loc = loc;
  if (!advance (p, error))
    return FALSE;
  return expect_line_end (p, error);
}

static gboolean
parse_host_address (Parser *p, ScenarioHost *host, GError **error)
{
  ScenarioAddr ip = p->tok.ip;

  if (p->tok.kind == SCENARIO_TOKEN_ENDPOINT)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_ADDRESS,
                    "a host address has no port: write only ADDRESS, as in 10.0.0.1");
  if (p->tok.kind != SCENARIO_TOKEN_ADDRESS)
    return fail_expected (p, SCENARIO_ERROR_BAD_ADDRESS, "an IPv4 or IPv6 address", error);
  if (scenario_addr_is_any (ip))
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_ADDRESS,
                    "%s is the wildcard address and cannot be a host's address",
                    ip.family == SCENARIO_ADDR_IPV6 ? "::" : "0.0.0.0");
  /* Every host has 127.0.0.1 and ::1 on its loopback interface already
   * (RFC 1122 3.2.1.3 (g), RFC 4291 2.5.3). */
  if (scenario_addr_is_loopback (ip))
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_ADDRESS,
                    "%.*s is a loopback address, which every host has: give the host another "
                    "address", (int) p->tok.len, p->tok.text);
  const ScenarioHost *owner = scenario_script_find_address (p->script, ip);
  for (guint i = 0; owner == NULL && i < host->addrs->len; i++)
    if (scenario_addr_equal (g_array_index (host->addrs, ScenarioAddr, i), ip))
      owner = host;
  if (owner != NULL)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_DUPLICATE_ADDRESS,
                    "address %.*s is already used by host '%s'", (int) p->tok.len,
                    p->tok.text, owner->name);
  g_array_append_val (host->addrs, ip);
  return advance (p, error);
}

/* `host NAME ADDR[,ADDR...] [key=value ...]`, or `peer NAME ADDR[,ADDR...]`:
 * a scripted peer, addresses with no TCP stack behind them. */
static gboolean
parse_host (Parser *p, GError **error)
{
  gboolean scripted = scenario_token_is_ident (&p->tok, "peer");
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a host name", error);

  g_autofree char *name = scenario_token_dup_text (&p->tok);
  const ScenarioHost *other = scenario_script_find_host (p->script, name);
  if (table_find (reserved_words, &p->tok) >= 0)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_INVALID,
                    "'%s' is a reserved word and cannot name a host", name);
  if (other != NULL)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_DUPLICATE_HOST,
                    "host '%s' is already declared on line %u", name, other->loc.line);

  g_autoptr (ScenarioHost) host = scenario_host_new (name, &p->tok.loc);
  host->scripted = scripted;
  if (!advance (p, error) || !parse_host_address (p, host, error))
    return FALSE;
  while (p->tok.kind == SCENARIO_TOKEN_COMMA)
    if (!advance (p, error) || !parse_host_address (p, host, error))
      return FALSE;
  if (!parse_settings (p, host->settings, error))
    return FALSE;
  if (scripted && host->settings->len > 0)
    {
      const ScenarioSetting *first = g_ptr_array_index (host->settings, 0);
      return fail_at (error, &first->key_loc, SCENARIO_ERROR_INVALID,
                      "a peer has no TCP stack and takes no settings, but got '%s'",
                      first->key);
    }
  g_ptr_array_add (p->script->hosts, g_steal_pointer (&host));
  return TRUE;
}

/* "A->B" or, if both is non-NULL, also "A B". The hosts must differ. */
static gboolean
parse_host_pair (Parser *p, char **from, char **to, gboolean *both, GError **error)
{
  ScenarioLoc loc;

  if (!parse_host_ref (p, from, &loc, error))
    return FALSE;
  if (both != NULL)
    *both = p->tok.kind != SCENARIO_TOKEN_ARROW;
  if (both == NULL || !*both)
    {
      const char *what = both != NULL ? "'->' or a host name"
                                      : "'->' (a fault acts on one direction: A->B)";
      if (!expect_token (p, SCENARIO_TOKEN_ARROW, what, error))
        return FALSE;
    }
  if (!parse_host_ref (p, to, &loc, error))
    return FALSE;
  if (strcmp (*from, *to) == 0)
    return fail_at (error, &loc, SCENARIO_ERROR_INVALID,
                    "a link joins two different hosts, not '%s' to itself", *to);
  return TRUE;
}

static gboolean
parse_link (Parser *p, GError **error)
{
  ScenarioLoc loc = p->tok.loc;
  g_autofree char *from = NULL, *to = NULL;
  gboolean both;

  if (!advance (p, error) || !parse_host_pair (p, &from, &to, &both, error))
    return FALSE;
  g_autoptr (ScenarioLink) link = scenario_link_new (from, to, both, &loc);
  if (!parse_settings (p, link->settings, error))
    return FALSE;
  g_ptr_array_add (p->script->links, g_steal_pointer (&link));
  return TRUE;
}

/* ---- socket calls ------------------------------------------------------ */

static const char *
arg_kind_name (ScenarioArgKind kind)
{
  switch (kind)
    {
    case SCENARIO_ARG_IDENT:
      return "a name";
    case SCENARIO_ARG_INT:
      return "a number";
    case SCENARIO_ARG_STRING:
      return "a string";
    case SCENARIO_ARG_ENDPOINT:
      return "an endpoint";
    case SCENARIO_ARG_PAIR:
      return "a pair";
    }
  g_return_val_if_reached ("?");
}

static gboolean
parse_int_arg (Parser *p, gint64 *out, GError **error)
{
  if (p->tok.kind != SCENARIO_TOKEN_INT)
    return fail_expected (p, SCENARIO_ERROR_BAD_ARGUMENTS, "a number", error);
  return token_to_int64 (&p->tok, out, error) && advance (p, error);
}

static gboolean
parse_pair_arg (Parser *p, ScenarioArg *arg, GError **error)
{
  return advance (p, error) && parse_int_arg (p, &arg->pair[0], error)
         && expect_token (p, SCENARIO_TOKEN_COMMA, "','", error)
         && parse_int_arg (p, &arg->pair[1], error)
         && expect_token (p, SCENARIO_TOKEN_RBRACE, "'}'", error);
}

static gboolean
parse_arg (Parser *p, ScenarioCall *call, GError **error)
{
  const ScenarioToken *tok = &p->tok;
  g_autoptr (ScenarioArg) arg = NULL;

  switch (tok->kind)
    {
    case SCENARIO_TOKEN_IDENT:
      arg = scenario_arg_new (SCENARIO_ARG_IDENT, &tok->loc);
      arg->ident = scenario_token_intern_text (tok);
      break;
    case SCENARIO_TOKEN_INT:
      arg = scenario_arg_new (SCENARIO_ARG_INT, &tok->loc);
      if (!token_to_int64 (tok, &arg->num, error))
        return FALSE;
      break;
    case SCENARIO_TOKEN_STRING:
      arg = scenario_arg_new (SCENARIO_ARG_STRING, &tok->loc);
      arg->bytes = g_bytes_ref (tok->bytes);
      break;
    case SCENARIO_TOKEN_ENDPOINT:
      arg = scenario_arg_new (SCENARIO_ARG_ENDPOINT, &tok->loc);
      arg->ip = tok->ip;
      arg->port = tok->port;
      break;
    case SCENARIO_TOKEN_LBRACE:
      arg = scenario_arg_new (SCENARIO_ARG_PAIR, &tok->loc);
      if (!parse_pair_arg (p, arg, error))
        return FALSE;
      scenario_call_add_arg (call, g_steal_pointer (&arg));
      return TRUE;
    case SCENARIO_TOKEN_ADDRESS:
      return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_ADDRESS,
                      "'%.*s' needs a port here, as in %.*s:80", (int) tok->len, tok->text,
                      (int) tok->len, tok->text);
    case SCENARIO_TOKEN_EOF:
    case SCENARIO_TOKEN_NEWLINE:
    case SCENARIO_TOKEN_DURATION:
    case SCENARIO_TOKEN_REL_DURATION:
    case SCENARIO_TOKEN_WORD:
    case SCENARIO_TOKEN_LPAREN:
    case SCENARIO_TOKEN_RPAREN:
    case SCENARIO_TOKEN_RBRACE:
    case SCENARIO_TOKEN_COMMA:
    case SCENARIO_TOKEN_SEMICOLON:
    case SCENARIO_TOKEN_EQUALS:
    case SCENARIO_TOKEN_ARROW:
    case SCENARIO_TOKEN_PIPE:
      return fail_expected (p, SCENARIO_ERROR_SYNTAX, "an argument", error);
    }
  scenario_call_add_arg (call, g_steal_pointer (&arg));
  return advance (p, error);
}

static gboolean
parse_args (Parser *p, ScenarioCall *call, GError **error)
{
  if (!expect_token (p, SCENARIO_TOKEN_LPAREN, "'('", error))
    return FALSE;
  if (p->tok.kind == SCENARIO_TOKEN_RPAREN)
    return advance (p, error);
  for (;;)
    {
      if (!parse_arg (p, call, error))
        return FALSE;
      if (p->tok.kind == SCENARIO_TOKEN_RPAREN)
        return advance (p, error);
      if (!expect_token (p, SCENARIO_TOKEN_COMMA, "',' or ')'", error))
        return FALSE;
    }
}

/* Argument i must be of this kind; `what` describes it for the message. */
static gboolean
check_arg (const CallInfo *info, const ScenarioCall *call, guint i, ScenarioArgKind kind,
           const char *what, GError **error)
{
  const ScenarioArg *arg = &call->args[i];

  if (arg->kind == kind)
    return TRUE;
  return fail_at (error, &arg->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                  "argument %u of %s() must be %s but found %s", i + 1, info->name, what,
                  arg_kind_name (arg->kind));
}

static gboolean
check_word_arg (const CallInfo *info, const ScenarioCall *call, guint i,
                const char *const *words, ScenarioError code, const char *what,
                GError **error)
{
  const ScenarioArg *arg = &call->args[i];
  g_autofree char *list = table_join (words);

  if (!check_arg (info, call, i, SCENARIO_ARG_IDENT, what, error))
    return FALSE;
  if (g_strv_contains (words, arg->ident))
    return TRUE;
  g_autofree char *hint = sim_suggest_hint (arg->ident, strlen (arg->ident), words);
  return fail_at (error, &arg->loc, code, "unknown %s '%s'%s (supported: %s)", what,
                  arg->ident, hint, list);
}

static gboolean
check_count_arg (const CallInfo *info, const ScenarioCall *call, guint i, GError **error)
{
  const ScenarioArg *arg = &call->args[i];

  if (!check_arg (info, call, i, SCENARIO_ARG_INT, "a number", error))
    return FALSE;
  if (arg->num < 0 || arg->num > G_MAXINT32)
    return fail_at (error, &arg->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                    "argument %u of %s() must be between 0 and %d", i + 1, info->name,
                    G_MAXINT32);
  return TRUE;
}

static gboolean
check_setsockopt (const CallInfo *info, const ScenarioCall *call, GError **error)
{
  static const char *const all_options[] = {
    "SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE", "TCP_NODELAY", "SO_LINGER",
    "SO_EXCLUSIVEADDRUSE", "IPV6_V6ONLY", NULL,
  };
  const ScenarioArg *opt = &call->args[1];

  if (!check_word_arg (info, call, 1, all_options, SCENARIO_ERROR_UNKNOWN_OPTION,
                       "socket option", error))
    return FALSE;
  if (g_strv_contains (int_options, opt->ident))
    return check_arg (info, call, 2, SCENARIO_ARG_INT, "a number", error);
  return check_arg (info, call, 2, SCENARIO_ARG_PAIR, "{ONOFF, SECONDS}", error);
}

/* An IPv6 endpoint needs a host with an IPv6 address, but for the
 * wildcard [::] and the loopback ::1, which every host has. A v4-mapped
 * address (RFC 4291 2.5.5.2) is what accept() shows of an IPv4 peer; as
 * an argument it is not modelled: write the IPv4 address. */
static gboolean
check_endpoint_family (Parser *p, const char *subject, const ScenarioArg *arg, GError **error)
{
  const ScenarioProcess *proc = scenario_script_find_process (p->script, subject);
  const ScenarioHost *host = scenario_script_find_host (p->script,
                                                        proc != NULL ? proc->host : subject);
  static const guint8 mapped[12] = { [10] = 0xff, [11] = 0xff };
  if (arg->ip.family != SCENARIO_ADDR_IPV6)
    return TRUE;
  if (memcmp (arg->ip.bytes, mapped, 12) == 0)
    return fail_at (error, &arg->loc, SCENARIO_ERROR_BAD_ADDRESS,
                    "v4-mapped addresses (::ffff:a.b.c.d) are not modelled in bind() and "
                    "connect(): write the IPv4 address (a [::] socket still takes IPv4 peers)");
  if (host == NULL || scenario_addr_is_any (arg->ip) || scenario_addr_is_loopback (arg->ip)
      || scenario_host_has_family (host, SCENARIO_ADDR_IPV6))
    return TRUE;
  GString *text = g_string_new (NULL);
  scenario_addr_append (text, arg->ip);
  fail_at (error, &arg->loc, SCENARIO_ERROR_BAD_ADDRESS,
           "host '%s' has no IPv6 address, so it cannot use %s: give it one, as in "
           "host %s 10.0.0.1, 2001:db8::1", host->name, text->str, host->name);
  g_string_free (text, TRUE);
  return FALSE;
}

/* Checks the arguments after the socket variable. */
/* fcntl(V, F_SETFL, O_NONBLOCK) or fcntl(V, F_SETFL, 0). */
static gboolean
check_fcntl (const CallInfo *info, const ScenarioCall *call, GError **error)
{
  static const char *const cmds[] = { "F_SETFL", NULL };
  static const char *const flags[] = { "O_NONBLOCK", NULL };
  const ScenarioArg *arg = &call->args[2];
  if (!check_word_arg (info, call, 1, cmds, SCENARIO_ERROR_BAD_ARGUMENTS, "fcntl command", error))
    return FALSE;
  if (arg->kind == SCENARIO_ARG_INT && arg->num == 0)
    return TRUE;
  return check_word_arg (info, call, 2, flags, SCENARIO_ERROR_BAD_ARGUMENTS,
                         "file status flag (or 0)", error);
}

static int errno_find (const char *name);

/* getsockopt(V, SO_ERROR, 0 or ERRNO): the value expected. */
static gboolean
check_getsockopt (const CallInfo *info, const ScenarioCall *call, GError **error)
{
  static const char *const opts[] = { "SO_ERROR", NULL };
  const ScenarioArg *arg = &call->args[2];
  if (!check_word_arg (info, call, 1, opts, SCENARIO_ERROR_UNKNOWN_OPTION, "option", error))
    return FALSE;
  if ((arg->kind == SCENARIO_ARG_INT && arg->num == 0)
      || (arg->kind == SCENARIO_ARG_IDENT && errno_find (arg->ident) != 0))
    return TRUE;
  return fail_at (error, &arg->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                  "expected 0 or an errno name as the value of SO_ERROR (usage: %s)",
                  info->usage);
}

static int
errno_find (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (errno_table); i++)
    if (strcmp (errno_table[i].name, name) == 0)
      return errno_table[i].value;
  return 0;
}

static gboolean
check_call_args (const CallInfo *info, const ScenarioCall *call, GError **error)
{
  static const char *const types[] = { "SOCK_STREAM", "SOCK_DGRAM", NULL };
  const ScenarioArg *arg;

  switch (call->kind)
    {
    case SCENARIO_CALL_SOCKET:
      return call->n_args == 0
             || check_word_arg (info, call, 0, types, SCENARIO_ERROR_BAD_ARGUMENTS,
                                "socket type", error);
    case SCENARIO_CALL_SETSOCKOPT:
      return check_setsockopt (info, call, error);
    case SCENARIO_CALL_BIND:
    case SCENARIO_CALL_CONNECT:
      return check_arg (info, call, 1, SCENARIO_ARG_ENDPOINT, "ADDRESS:PORT", error);
    case SCENARIO_CALL_LISTEN:
    case SCENARIO_CALL_READ:
      return check_count_arg (info, call, 1, error);
    case SCENARIO_CALL_WRITE:
      arg = &call->args[1];
      if (arg->kind == SCENARIO_ARG_STRING)
        return TRUE;
      return check_count_arg (info, call, 1, error);
    case SCENARIO_CALL_SHUTDOWN:
      return check_word_arg (info, call, 1, shutdown_modes, SCENARIO_ERROR_BAD_ARGUMENTS,
                             "shutdown mode", error);
    case SCENARIO_CALL_ACCEPT:
    case SCENARIO_CALL_CLOSE:
    case SCENARIO_CALL_EXIT:
      return TRUE;
    case SCENARIO_CALL_FCNTL:
      return check_fcntl (info, call, error);
    case SCENARIO_CALL_GETSOCKOPT:
      return check_getsockopt (info, call, error);
    }
  g_return_val_if_reached (FALSE);
}

static gboolean
check_call (Parser *p, const char *host, const CallInfo *info, const ScenarioCall *call,
            const ScenarioLoc *name_loc, GError **error)
{
  guint n = call->n_args;

  if (n < info->min_args || n > info->max_args)
    {
      g_autofree char *count = info->min_args == info->max_args
                                   ? g_strdup_printf ("%u", info->min_args)
                                   : g_strdup_printf ("%u or %u", info->min_args,
                                                      info->max_args);
      return fail_at (error, name_loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                      "%s() takes %s argument%s but got %u (usage: %s)", info->name, count,
                      info->max_args == 1 && info->min_args == 1 ? "" : "s", n,
                      info->usage);
    }
  if (info->assigns && call->assign_to == NULL)
    return fail_at (error, name_loc, SCENARIO_ERROR_INVALID,
                    "%s() returns a socket: assign it, as in %s", info->name, info->usage);
  if (!info->assigns && call->assign_to != NULL)
    return fail_at (error, &call->loc, SCENARIO_ERROR_INVALID,
                    "only socket() and accept() can be assigned to a variable");
  if (call->kind != SCENARIO_CALL_SOCKET && call->kind != SCENARIO_CALL_EXIT)
    {
      const ScenarioArg *var = &call->args[0];
      if (!check_arg (info, call, 0, SCENARIO_ARG_IDENT, "a socket variable", error)
          || !check_var (p, host, var->ident, &var->loc, error))
        return FALSE;
    }
  if (!check_call_args (info, call, error))
    return FALSE;
  if (call->kind == SCENARIO_CALL_BIND || call->kind == SCENARIO_CALL_CONNECT)
    return check_endpoint_family (p, host, &call->args[1], error);
  return TRUE;
}

static gboolean
parse_errno (Parser *p, ScenarioCall *call, GError **error)
{
  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX,
                          "an errno name after -1 (as in -1 ECONNREFUSED)", error);
  for (gsize i = 0; i < G_N_ELEMENTS (errno_table); i++)
    if (scenario_token_is_ident (&p->tok, errno_table[i].name))
      {
        call->expect_errno = errno_table[i].value;
        call->expect_errno_name = errno_table[i].name;
        return advance (p, error);
      }
  g_autoptr (GString) names = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (errno_table); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? " " : "", errno_table[i].name);
  return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_ERRNO,
                  "unknown errno '%.*s' (supported: %s)", (int) p->tok.len, p->tok.text,
                  names->str);
}

/* After '=': "INT", "-1 ERRNO", or for read() "INT \"DATA\"". */
static gboolean
parse_result (Parser *p, ScenarioCall *call, GError **error)
{
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_INT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX,
                          "a result: a number, or -1 and an errno name", error);
  ScenarioLoc ret_loc = p->tok.loc;
  if (!token_to_int64 (&p->tok, &call->expect_ret, error) || !advance (p, error))
    return FALSE;
  call->has_expect = TRUE;
  if (call->expect_ret == -1)
    return parse_errno (p, call, error);
  if (call->expect_ret < 0)
    return fail_at (error, &ret_loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                    "a result is a number >= 0, or -1 and an errno name");
  if (p->tok.kind != SCENARIO_TOKEN_STRING)
    return TRUE;
  if (call->kind != SCENARIO_CALL_READ)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                    "only a read() result can name the bytes expected");
  gsize len = g_bytes_get_size (p->tok.bytes);
  if ((guint64) call->expect_ret != len)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                    "the expected data is %" G_GSIZE_FORMAT " bytes but the result says "
                    "%" G_GINT64_FORMAT, len, call->expect_ret);
  call->expect_data = g_bytes_ref (p->tok.bytes);
  return advance (p, error);
}

static const CallInfo *
call_info_find (const ScenarioToken *tok)
{
  for (gsize i = 0; i < G_N_ELEMENTS (call_table); i++)
    if (scenario_token_is_ident (tok, call_table[i].name))
      return &call_table[i];
  return NULL;
}

static gboolean
parse_call (Parser *p, ScenarioStep *step, GError **error)
{
  const char *host = step->host;
  ScenarioLoc start = p->tok.loc;
  g_autofree char *assign_to = NULL;

  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a socket call", error);
  g_autofree char *first = scenario_token_dup_text (&p->tok);
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind == SCENARIO_TOKEN_EQUALS)
    {
      assign_to = g_steal_pointer (&first);
      if (!advance (p, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_IDENT)
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a call after '='", error);
    }

  /* Re-read the name from the token when assigned, else from `first`. */
  ScenarioLoc name_loc = assign_to != NULL ? p->tok.loc : start;
  ScenarioToken name_tok = { .kind = SCENARIO_TOKEN_IDENT, .loc = name_loc };
  name_tok.text = assign_to != NULL ? p->tok.text : first;
  name_tok.len = assign_to != NULL ? p->tok.len : strlen (first);
  const CallInfo *info = call_info_find (&name_tok);
  if (info == NULL)
    {
      g_autofree char *hint = sim_suggest_hint (name_tok.text, name_tok.len, call_words);
      return fail_at (error, &name_loc, SCENARIO_ERROR_UNKNOWN_CALL,
                      "unknown call '%.*s'%s (known calls: socket, setsockopt, bind, listen, "
                      "accept, connect, write, read, shutdown, close, exit)",
                      (int) name_tok.len, name_tok.text, hint);
    }
  if (assign_to != NULL && !advance (p, error))
    return FALSE;

  g_autoptr (ScenarioCall) call = scenario_call_new (info->kind, &start);
  call->assign_to = assign_to != NULL ? g_intern_string (assign_to) : NULL;
  if (!parse_args (p, call, error)
      || !check_call (p, host, info, call, &name_loc, error))
    return FALSE;
  if (p->tok.kind == SCENARIO_TOKEN_EQUALS && !parse_result (p, call, error))
    return FALSE;
  if (call->assign_to != NULL)
    g_hash_table_replace (host_vars (p, host), g_strdup (call->assign_to), NULL);
  if (call->kind == SCENARIO_CALL_EXIT)
    {
      /* Every socket variable of this subject now names nothing. */
      GHashTableIter it;
      gpointer key;
      g_hash_table_iter_init (&it, host_vars (p, host));
      while (g_hash_table_iter_next (&it, &key, NULL))
        g_hash_table_iter_replace (&it, GUINT_TO_POINTER (start.line));
    }
  scenario_step_add_call (step, g_steal_pointer (&call));
  return TRUE;
}

static gboolean
parse_calls (Parser *p, ScenarioStep *step, GError **error)
{
  ScenarioLoc loc;

  if (!parse_step_host (p, TRUE, &step->host, &loc, error))
    return FALSE;
  /* Between `crash HOST` and `reboot HOST` nothing runs there. */
  const ScenarioProcess *proc = scenario_script_find_process (p->script, step->host);
  const char *host = proc != NULL ? proc->host : step->host;
  const ScenarioHost *sh = scenario_script_find_host (p->script, host);
  if (sh != NULL && sh->scripted)
    return fail_at (error, &loc, SCENARIO_ERROR_INVALID,
                    "%s is a scripted peer: it has no TCP stack and makes no socket calls "
                    "(use 'inject')", host);
  gpointer crashed_on = g_hash_table_lookup (p->down, host);
  if (crashed_on != NULL)
    return fail_at (error, &loc, SCENARIO_ERROR_INVALID,
                    "host %s is down (crash on line %u): nothing runs there until 'reboot %s'",
                    host, GPOINTER_TO_UINT (crashed_on), host);
  for (;;)
    {
      if (!parse_call (p, step, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_SEMICOLON)
        return expect_line_end (p, error);
      if (!advance (p, error))
        return FALSE;
    }
}

/* ---- faults and expectations ------------------------------------------- */

static gboolean parse_expect_segment (Parser *p, ScenarioStep *step, GError **error);

static gboolean
add_selector_word (Parser *p, ScenarioStep *step, gboolean *any, GError **error)
{
  static const char *const hint = "use any, data, or flags SYN FIN ACK RST PSH URG "
                                  "joined by '|', as in SYN|ACK";
  const ScenarioToken *tok = &p->tok;
  guint8 bit = 0;

  if (tok->kind != SCENARIO_TOKEN_IDENT)
    {
      g_autofree char *found = scenario_token_describe (tok);
      return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_SELECTOR,
                      "expected a segment selector but found %s (%s)", found, hint);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (flag_table); i++)
    if (scenario_token_is_ident (tok, flag_table[i].name))
      bit = flag_table[i].bit;
  if (bit == 0 && !scenario_token_is_ident (tok, "data")
      && !scenario_token_is_ident (tok, "any"))
    {
      g_autofree char *mean = sim_suggest_hint (tok->text, tok->len, selector_words);
      return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_SELECTOR,
                      "unknown segment selector '%.*s'%s (%s)", (int) tok->len, tok->text,
                      mean, hint);
    }
  if (*any || (scenario_token_is_ident (tok, "any") && (step->flags || step->needs_data)))
    return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_SELECTOR,
                    "'any' cannot be combined with other selectors");
  if ((bit != 0 && (step->flags & bit)) || (bit == 0 && step->needs_data))
    return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_SELECTOR,
                    "'%.*s' appears twice in the selector", (int) tok->len, tok->text);
  *any = scenario_token_is_ident (tok, "any");
  step->flags |= bit;
  step->needs_data |= scenario_token_is_ident (tok, "data");
  return advance (p, error);
}

static const struct {
  const char *name;
  ScenarioFaultAction action;
} fault_actions[] = {
  { "drop", SCENARIO_FAULT_DROP },
  { "duplicate", SCENARIO_FAULT_DUPLICATE },
  { "delay", SCENARIO_FAULT_DELAY },
  { "hold", SCENARIO_FAULT_HOLD },
};

/* "1000" or "1000-2000": 32-bit sequence numbers, the range inclusive. */
static gboolean
parse_seq_range (const char *text, ScenarioStep *step, const char **problem)
{
  g_auto (GStrv) parts = g_strsplit (text, "-", 3);
  guint n = g_strv_length (parts);
  guint64 v[2] = { 0, 0 };
  *problem = "expected seq=N or seq=LO-HI with 0 <= N < 2^32";
  if (n < 1 || n > 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &v[i], NULL))
      return FALSE;
  step->has_seq = TRUE;
  step->seq_lo = (guint32) v[0];
  step->seq_hi = (guint32) (n == 2 ? v[1] : v[0]);
  return TRUE;
}

static gboolean
parse_count (const char *text, guint *out, const char **problem)
{
  guint64 v = 0;
  if (!g_ascii_string_to_unsigned (text, 10, 1, 1000, &v, NULL))
    {
      *problem = "expected a whole number from 1 to 1000";
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

/* The key=value options after a fault's selector. */
typedef enum {
  FAULT_OPTION_SEQ,
  FAULT_OPTION_PAYLOAD,
  FAULT_OPTION_NTH,
  FAULT_OPTION_COPIES,
  FAULT_OPTION_COPY_DELAY,
  FAULT_OPTION_BY,
  FAULT_OPTION_UNTIL,
} FaultOption;

#define N_FAULT_OPTIONS (FAULT_OPTION_UNTIL + 1)

/* Indexed by FaultOption; NULL-terminated for table_find. */
static const char *const fault_option_keys[N_FAULT_OPTIONS + 1] = {
  [FAULT_OPTION_SEQ] = "seq",
  [FAULT_OPTION_PAYLOAD] = "payload",
  [FAULT_OPTION_NTH] = "nth",
  [FAULT_OPTION_COPIES] = "copies",
  [FAULT_OPTION_COPY_DELAY] = "copy_delay",
  [FAULT_OPTION_BY] = "by",
  [FAULT_OPTION_UNTIL] = "until",
  [N_FAULT_OPTIONS] = NULL,
};

/* The action an option belongs to; FALSE for those every action takes. */
static gboolean
fault_option_owner (FaultOption option, ScenarioFaultAction *owner)
{
  switch (option)
    {
    case FAULT_OPTION_SEQ:
    case FAULT_OPTION_PAYLOAD:
    case FAULT_OPTION_NTH:
      return FALSE;
    case FAULT_OPTION_COPIES:
    case FAULT_OPTION_COPY_DELAY:
      *owner = SCENARIO_FAULT_DUPLICATE;
      return TRUE;
    case FAULT_OPTION_BY:
      *owner = SCENARIO_FAULT_DELAY;
      return TRUE;
    case FAULT_OPTION_UNTIL:
      *owner = SCENARIO_FAULT_HOLD;
      return TRUE;
    }
  g_return_val_if_reached (FALSE);
}

/* The option an action cannot do without; FALSE when it needs none. */
static gboolean
fault_required_option (ScenarioFaultAction action, FaultOption *option)
{
  switch (action)
    {
    case SCENARIO_FAULT_DROP:
      return FALSE;
    case SCENARIO_FAULT_DUPLICATE:
      *option = FAULT_OPTION_COPY_DELAY;
      return TRUE;
    case SCENARIO_FAULT_DELAY:
      *option = FAULT_OPTION_BY;
      return TRUE;
    case SCENARIO_FAULT_HOLD:
      *option = FAULT_OPTION_UNTIL;
      return TRUE;
    }
  g_return_val_if_reached (FALSE);
}

/* The option's key, checked against the action and the options seen, and
 * the '=' after it. */
static gboolean
parse_fault_option_key (Parser *p, const ScenarioStep *step, gboolean *seen,
                        FaultOption *option, GError **error)
{
  int k = table_find (fault_option_keys, &p->tok);
  if (p->tok.kind != SCENARIO_TOKEN_IDENT || k < 0)
    {
      g_autofree char *found = scenario_token_describe (&p->tok);
      return fail_at (error, &p->tok.loc, SCENARIO_ERROR_SYNTAX,
                      "expected a fault option (seq=, payload=, nth=, and copy_delay=, "
                      "copies= for duplicate, by= for delay, until= for hold) but "
                      "found %s", found);
    }
  ScenarioLoc key_loc = p->tok.loc;
  ScenarioFaultAction owner;
  if (fault_option_owner (k, &owner) && owner != step->action)
    return fail_at (error, &key_loc, SCENARIO_ERROR_INVALID,
                    "option '%s' belongs to '%s', not to '%s'", fault_option_keys[k],
                    scenario_fault_action_to_string (owner),
                    scenario_fault_action_to_string (step->action));
  if (seen[k])
    return fail_at (error, &key_loc, SCENARIO_ERROR_INVALID,
                    "option '%s' is given twice", fault_option_keys[k]);
  seen[k] = TRUE;
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_EQUALS)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "'=' after the option", error);
  *option = k;
  return TRUE;
}

/* payload="...": a string token, not a bare word. */
static gboolean
parse_payload_value (Parser *p, ScenarioStep *step, GError **error)
{
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_STRING)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a string, as in payload=\"abc\"",
                          error);
  if (g_bytes_get_size (p->tok.bytes) == 0)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_INVALID,
                    "payload=\"\" matches every segment; leave it out");
  step->payload = g_bytes_ref (p->tok.bytes);
  return advance (p, error);
}

static gboolean
parse_fault_duration (const char *text, SimTime *out, const char **problem)
{
  if (!sim_time_parse_duration (text, out, problem))
    return FALSE;
  if (*out < 0 || *out > 24 * 3600 * SIM_S)
    {
      *problem = "expected a duration from 0 to 24 hours";
      return FALSE;
    }
  return TRUE;
}

/* The value of a word option into `step`; `problem` says what is wrong
 * with it. */
static gboolean
apply_fault_word (ScenarioStep *step, FaultOption option, const char *value,
                  const char **problem)
{
  SimTime t = 0;
  gboolean ok;
  switch (option)
    {
    case FAULT_OPTION_SEQ:
      return parse_seq_range (value, step, problem);
    case FAULT_OPTION_NTH:
      return parse_count (value, &step->nth, problem);
    case FAULT_OPTION_COPIES:
      return parse_count (value, &step->copies, problem);
    case FAULT_OPTION_COPY_DELAY:
    case FAULT_OPTION_BY:
      ok = parse_fault_duration (value, &t, problem);
      step->fault_delay = t;
      return ok;
    case FAULT_OPTION_UNTIL:
      ok = parse_fault_duration (value, &t, problem);
      if (ok && t < step->time)
        {
          ok = FALSE;
          *problem = "until= is an absolute time and must not be before the fault's own time";
        }
      step->hold_until = t;
      return ok;
    case FAULT_OPTION_PAYLOAD:
      break; /* a string: parse_payload_value */
    }
  g_return_val_if_reached (FALSE);
}

/* The bare word after '=' (a number, a range or a duration). */
static gboolean
parse_word_value (Parser *p, ScenarioStep *step, FaultOption option, GError **error)
{
  if (!scenario_lexer_next_word (p->lexer, &p->tok, error))
    return FALSE;
  g_autofree char *value = scenario_token_dup_text (&p->tok);
  const char *problem = NULL;
  if (!apply_fault_word (step, option, value, &problem))
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_INVALID, "bad value '%s' for %s: %s",
                    value, fault_option_keys[option], problem);
  return advance (p, error);
}

static gboolean
parse_fault_option_value (Parser *p, ScenarioStep *step, FaultOption option, GError **error)
{
  switch (option)
    {
    case FAULT_OPTION_PAYLOAD:
      return parse_payload_value (p, step, error);
    case FAULT_OPTION_SEQ:
    case FAULT_OPTION_NTH:
    case FAULT_OPTION_COPIES:
    case FAULT_OPTION_COPY_DELAY:
    case FAULT_OPTION_BY:
    case FAULT_OPTION_UNTIL:
      return parse_word_value (p, step, option, error);
    }
  g_return_val_if_reached (FALSE);
}

/* The key=value options after the selector. Which keys an action takes:
 * all: seq, payload, nth; duplicate: copy_delay (required), copies;
 * delay: by (required); hold: until (required, absolute time). */
static gboolean
parse_fault_options (Parser *p, ScenarioStep *step, const ScenarioLoc *action_loc,
                     GError **error)
{
  gboolean seen[N_FAULT_OPTIONS] = { FALSE };

  while (!at_line_end (p))
    {
      FaultOption option = FAULT_OPTION_SEQ;
      if (!parse_fault_option_key (p, step, seen, &option, error)
          || !parse_fault_option_value (p, step, option, error))
        return FALSE;
    }
  FaultOption required = FAULT_OPTION_SEQ;
  if (fault_required_option (step->action, &required) && !seen[required])
    return fail_at (error, action_loc, SCENARIO_ERROR_SYNTAX, "'%s' needs the option %s=",
                    scenario_fault_action_to_string (step->action), fault_option_keys[required]);
  return TRUE;
}

static gboolean
parse_fault (Parser *p, ScenarioStep *step, GError **error)
{
  gboolean any = FALSE;
  gboolean known = FALSE;
  ScenarioLoc action_loc;

  if (!advance (p, error) || !parse_host_pair (p, &step->from, &step->to, NULL, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX,
                          "a fault action (drop, duplicate, delay, hold)", error);
  action_loc = p->tok.loc;
  for (gsize i = 0; i < G_N_ELEMENTS (fault_actions); i++)
    if (scenario_token_is_ident (&p->tok, fault_actions[i].name))
      {
        step->action = fault_actions[i].action;
        known = TRUE;
      }
  if (!known)
    {
      g_autofree char *hint = sim_suggest_hint (p->tok.text, p->tok.len, fault_action_words);
      return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_ACTION,
                      "unknown fault action '%.*s'%s (supported: drop, duplicate, delay, hold)",
                      (int) p->tok.len, p->tok.text, hint);
    }
  if (!advance (p, error))
    return FALSE;
  if (!scenario_token_is_ident (&p->tok, "next"))
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "'next'", error);
  if (!advance (p, error))
    return FALSE;
  g_autoptr (GString) selector = g_string_new (NULL);
  for (;;)
    {
      if (p->tok.kind == SCENARIO_TOKEN_IDENT)
        g_string_append_len (selector, p->tok.text, (gssize) p->tok.len);
      if (!add_selector_word (p, step, &any, error))
        return FALSE;
      if (p->tok.kind == SCENARIO_TOKEN_COMMA)
        {
          /* tcpdump writes SYN,ACK (and so does the narration); a selector
           * joins flags with '|'. */
          ScenarioLoc comma = p->tok.loc;
          if (!advance (p, error))
            return FALSE;
          if (p->tok.kind == SCENARIO_TOKEN_IDENT)
            return fail_at (error, &comma, SCENARIO_ERROR_BAD_SELECTOR,
                            "flags in a selector are joined by '|', not ',', did you mean "
                            "'%s|%.*s'?", selector->str, (int) p->tok.len, p->tok.text);
          return fail_at (error, &comma, SCENARIO_ERROR_BAD_SELECTOR,
                          "flags in a selector are joined by '|', not ','");
        }
      if (p->tok.kind != SCENARIO_TOKEN_PIPE)
        break;
      g_string_append_c (selector, '|');
      if (!advance (p, error))
        return FALSE;
    }
  if (!parse_fault_options (p, step, &action_loc, error))
    return FALSE;
  return expect_line_end (p, error);
}

static gboolean
parse_expect_kind (Parser *p, ScenarioStep *step, GError **error)
{
  if (scenario_token_is_ident (&p->tok, "state"))
    {
      step->kind = SCENARIO_STEP_EXPECT_STATE;
      if (!advance (p, error))
        return FALSE;
      if (table_find (state_names, &p->tok) < 0)
        {
          g_autofree char *list = table_join (state_names);
          g_autofree char *found = scenario_token_describe (&p->tok);
          g_autofree char *hint = p->tok.kind == SCENARIO_TOKEN_IDENT
                                    ? sim_suggest_hint (p->tok.text, p->tok.len, state_names)
                                    : g_strdup ("");
          return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_STATE,
                          "unknown TCP state %s%s (RFC 9293 states: %s)", found, hint, list);
        }
      step->state = scenario_token_dup_text (&p->tok);
      return advance (p, error);
    }
  if (scenario_token_is_ident (&p->tok, "read"))
    {
      step->kind = SCENARIO_STEP_EXPECT_READ;
      if (!advance (p, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_STRING)
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a string of the bytes read",
                              error);
      step->expect_bytes = g_bytes_ref (p->tok.bytes);
      return advance (p, error);
    }
  g_autofree char *found = scenario_token_describe (&p->tok);
  g_autofree char *hint = p->tok.kind == SCENARIO_TOKEN_IDENT
                            ? sim_suggest_hint (p->tok.text, p->tok.len, expect_words)
                            : g_strdup ("");
  return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_EXPECT,
                  "unknown expectation %s%s (supported: state, read)", found, hint);
}

/* `expect [no] corruption [HOST VAR]`, `expect [no] hazard NAME`. The
 * current token is `corruption` or `hazard` (after an optional `no`). */
static gboolean
parse_expect_verdict (Parser *p, ScenarioStep *step, gboolean negated, GError **error)
{
  ScenarioLoc loc;

  step->kind = SCENARIO_STEP_EXPECT_VERDICT;
  step->negated = negated;
  if (scenario_token_is_ident (&p->tok, "corruption"))
    {
      step->verdict = SCENARIO_VERDICT_CORRUPTION;
      if (!advance (p, error))
        return FALSE;
      if (at_line_end (p))
        return TRUE;
      if (!parse_step_host (p, FALSE, &step->host, &loc, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_IDENT)
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a socket variable", error);
      step->var = scenario_token_intern_text (&p->tok);
      if (!check_var (p, step->host, step->var, &p->tok.loc, error) || !advance (p, error))
        return FALSE;
      return expect_line_end (p, error);
    }
  if (!advance (p, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (hazard_table); i++)
    if (scenario_token_is_ident (&p->tok, hazard_table[i].name))
      {
        step->verdict = hazard_table[i].kind;
        if (!advance (p, error))
          return FALSE;
        return expect_line_end (p, error);
      }
  g_autofree char *found = scenario_token_describe (&p->tok);
  return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_EXPECT,
                  "unknown hazard %s (known: H1 or corruption, H2, H3, assassination or "
                  "TWA, reuse)", found);
}

static gboolean
parse_expect (Parser *p, ScenarioStep *step, GError **error)
{
  ScenarioLoc loc;

  if (!advance (p, error))
    return FALSE;
  gboolean negated = FALSE;
  if (scenario_token_is_ident (&p->tok, "no")
      && scenario_script_find_host (p->script, "no") == NULL)
    {
      negated = TRUE;
      if (!advance (p, error))
        return FALSE;
      if (!scenario_token_is_ident (&p->tok, "corruption")
          && !scenario_token_is_ident (&p->tok, "hazard"))
        return fail_expected (p, SCENARIO_ERROR_UNKNOWN_EXPECT,
                              "'corruption' or 'hazard' after 'expect no'", error);
    }
  if (scenario_token_is_ident (&p->tok, "corruption")
      || scenario_token_is_ident (&p->tok, "hazard"))
    return parse_expect_verdict (p, step, negated, error);
  if (!negated && scenario_token_is_ident (&p->tok, "segment"))
    return parse_expect_segment (p, step, error);
  if (!parse_step_host (p, TRUE, &step->host, &loc, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_IDENT)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a socket variable", error);
  step->var = scenario_token_intern_text (&p->tok);
  if (!check_var (p, step->host, step->var, &p->tok.loc, error) || !advance (p, error)
      || !parse_expect_kind (p, step, error))
    return FALSE;
  return expect_line_end (p, error);
}

/* ---- hand-made segments: inject and expect segment --------------------- */

/* FLAGS: `none`, or flag names joined by '|' (SYN|ACK). */
static gboolean
parse_segment_flags (Parser *p, ScenarioSegment *seg, GError **error)
{
  static const char *const hint = "use none, or SYN FIN ACK RST PSH URG joined by '|', "
                                  "as in SYN|ACK";
  if (scenario_token_is_ident (&p->tok, "none"))
    return advance (p, error);
  for (;;)
    {
      guint8 bit = 0;
      for (gsize i = 0; p->tok.kind == SCENARIO_TOKEN_IDENT && i < G_N_ELEMENTS (flag_table); i++)
        if (scenario_token_is_ident (&p->tok, flag_table[i].name))
          bit = flag_table[i].bit;
      if (bit == 0)
        {
          g_autofree char *found = scenario_token_describe (&p->tok);
          return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_SELECTOR,
                          "expected TCP flags but found %s (%s)", found, hint);
        }
      if (seg->flags & bit)
        return fail_at (error, &p->tok.loc, SCENARIO_ERROR_BAD_SELECTOR,
                        "flag '%.*s' appears twice", (int) p->tok.len, p->tok.text);
      seg->flags |= bit;
      if (!advance (p, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_PIPE)
        return TRUE;
      if (!advance (p, error))
        return FALSE;
    }
}

typedef enum {
  SEG_KEY_SEQ, SEG_KEY_ACK, SEG_KEY_WIN, SEG_KEY_LEN, SEG_KEY_PAYLOAD, SEG_KEY_MSS,
  SEG_KEY_WSCALE, SEG_KEY_SACK_OK, SEG_KEY_TS, SEG_KEY_VIA, SEG_KEY_WITHIN, SEG_KEY_OPTIONS,
  N_SEG_KEYS
} SegmentKey;

static const char *const segment_keys[] = {
  "seq", "ack", "win", "len", "payload", "mss", "wscale", "sack_ok", "ts", "via", "within",
  "options", NULL,
};

/* Keys only one of the two lines takes: len, within, options for expect;
 * via for inject. */
static gboolean
segment_key_allowed (SegmentKey key, gboolean inject)
{
  switch (key)
    {
    case SEG_KEY_LEN:
    case SEG_KEY_WITHIN:
    case SEG_KEY_OPTIONS:
      return !inject;
    case SEG_KEY_VIA:
      return inject;
    case SEG_KEY_SEQ: case SEG_KEY_ACK: case SEG_KEY_WIN: case SEG_KEY_PAYLOAD:
    case SEG_KEY_MSS: case SEG_KEY_WSCALE: case SEG_KEY_SACK_OK: case SEG_KEY_TS:
    case N_SEG_KEYS:
      break;
    }
  return TRUE;
}

static gboolean
parse_u32_text (const char *text, guint64 max, guint32 *out)
{
  guint64 v = 0;
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &v, NULL))
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

static void
segment_add_option (ScenarioSegment *seg, ScenarioOptionKind kind, guint32 value, guint32 ecr)
{
  ScenarioOption o = { kind, value, ecr };
  seg->has_options = TRUE;
  g_array_append_val (seg->options, o);
}

/* One word value into the step; `problem` says what is wrong with it. */
static gboolean
apply_segment_word (ScenarioStep *step, SegmentKey key, const char *value, const char **problem)
{
  ScenarioSegment *seg = step->segment;
  guint32 a = 0, b = 0;
  SimTime t = 0;
  switch (key)
    {
    case SEG_KEY_SEQ:
    case SEG_KEY_ACK:
    case SEG_KEY_WIN:
      *problem = "expected a number from 0 to 4294967295";
      if (!parse_u32_text (value, G_MAXUINT32, &a))
        return FALSE;
      if (key == SEG_KEY_SEQ)
        seg->has_seq = TRUE, seg->seq = a;
      else if (key == SEG_KEY_ACK)
        seg->has_ack = TRUE, seg->ack = a;
      else
        seg->has_win = TRUE, seg->win = a;
      return TRUE;
    case SEG_KEY_LEN:
    case SEG_KEY_MSS:
      *problem = "expected a number from 0 to 65535";
      if (!parse_u32_text (value, 65535, &a))
        return FALSE;
      if (key == SEG_KEY_LEN)
        seg->has_len = TRUE, seg->len = a;
      else
        segment_add_option (seg, SCENARIO_OPT_MSS, a, 0);
      return TRUE;
    case SEG_KEY_WSCALE:
      /* RFC 7323 2.3: the shift count is at most 14. */
      *problem = "expected a shift count from 0 to 14 (RFC 7323 2.3)";
      if (!parse_u32_text (value, 14, &a))
        return FALSE;
      segment_add_option (seg, SCENARIO_OPT_WSCALE, a, 0);
      return TRUE;
    case SEG_KEY_SACK_OK:
      *problem = "expected on";
      if (g_strcmp0 (value, "on") != 0)
        return FALSE;
      segment_add_option (seg, SCENARIO_OPT_SACK_OK, 0, 0);
      return TRUE;
    case SEG_KEY_TS:
      {
        *problem = "expected TSVAL/TSECR, two numbers from 0 to 4294967295, as in ts=100/0";
        g_auto (GStrv) parts = g_strsplit (value, "/", 3);
        if (g_strv_length (parts) != 2 || !parse_u32_text (parts[0], G_MAXUINT32, &a)
            || !parse_u32_text (parts[1], G_MAXUINT32, &b))
          return FALSE;
        segment_add_option (seg, SCENARIO_OPT_TS, a, b);
        return TRUE;
      }
    case SEG_KEY_VIA:
      *problem = "expected link or direct";
      if (g_strcmp0 (value, "link") != 0 && g_strcmp0 (value, "direct") != 0)
        return FALSE;
      seg->direct = g_strcmp0 (value, "direct") == 0;
      return TRUE;
    case SEG_KEY_WITHIN:
      if (!sim_time_parse_duration (value, &t, problem))
        return FALSE;
      *problem = "expected a duration from 0 to 24 hours";
      if (t < 0 || t > 24 * 3600 * SIM_S)
        return FALSE;
      step->time_lo = MAX (step->time - t, 0);
      step->time_hi = step->time + t;
      return TRUE;
    case SEG_KEY_OPTIONS:
      *problem = "expected none (the segment carries no option)";
      if (g_strcmp0 (value, "none") != 0)
        return FALSE;
      seg->has_options = TRUE;
      return TRUE;
    case SEG_KEY_PAYLOAD:
    case N_SEG_KEYS:
      break;
    }
  g_return_val_if_reached (FALSE);
}

static gboolean
parse_segment_field (Parser *p, ScenarioStep *step, gboolean inject, gboolean *seen,
                     GError **error)
{
  int k = table_find (segment_keys, &p->tok);
  if (p->tok.kind != SCENARIO_TOKEN_IDENT || k < 0 || !segment_key_allowed (k, inject))
    {
      g_autofree char *found = scenario_token_describe (&p->tok);
      return fail_at (error, &p->tok.loc, SCENARIO_ERROR_SYNTAX,
                      "expected a segment field (%s) but found %s",
                      inject ? "seq=, ack=, win=, payload=, mss=, wscale=, sack_ok=, ts=, via="
                             : "seq=, ack=, win=, len=, payload=, mss=, wscale=, sack_ok=, ts=, "
                               "options=, within=",
                      found);
    }
  if (seen[k] && k != SEG_KEY_MSS && k != SEG_KEY_TS)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_INVALID, "field '%s' is given twice",
                    segment_keys[k]);
  seen[k] = TRUE;
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_EQUALS)
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "'=' after the field", error);
  if (k == SEG_KEY_PAYLOAD)
    {
      if (!advance (p, error))
        return FALSE;
      if (p->tok.kind != SCENARIO_TOKEN_STRING)
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "a string, as in payload=\"abc\"", error);
      step->segment->payload = g_bytes_ref (p->tok.bytes);
      return advance (p, error);
    }
  if (!scenario_lexer_next_word (p->lexer, &p->tok, error))
    return FALSE;
  g_autofree char *value = scenario_token_dup_text (&p->tok);
  const char *problem = NULL;
  if (!apply_segment_word (step, k, value, &problem))
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_INVALID, "bad value '%s' for %s: %s",
                    value, segment_keys[k], problem);
  return advance (p, error);
}

static gboolean
parse_segment_fields (Parser *p, ScenarioStep *step, gboolean inject, GError **error)
{
  gboolean seen[N_SEG_KEYS] = { FALSE };
  if (!parse_segment_flags (p, step->segment, error))
    return FALSE;
  while (!at_line_end (p))
    if (!parse_segment_field (p, step, inject, seen, error))
      return FALSE;
  if (inject && !seen[SEG_KEY_WIN])
    {
      step->segment->has_win = TRUE;
      step->segment->win = 65535;
    }
  return expect_line_end (p, error);
}

/* `inject SRC:PORT -> DST:PORT FLAGS [field=value ...]`: DST must be an
 * address of a declared host with a TCP stack. */
static gboolean
parse_inject (Parser *p, ScenarioStep *step, GError **error)
{
  step->kind = SCENARIO_STEP_INJECT;
  step->segment = scenario_segment_new ();
  if (!advance (p, error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_ENDPOINT || scenario_addr_is_any (p->tok.ip))
    return fail_expected (p, SCENARIO_ERROR_SYNTAX,
                          "the source ADDRESS:PORT of the injected segment", error);
  step->segment->src_ip = p->tok.ip;
  step->segment->src_port = p->tok.port;
  if (!advance (p, error) || !expect_token (p, SCENARIO_TOKEN_ARROW, "'->'", error))
    return FALSE;
  if (p->tok.kind != SCENARIO_TOKEN_ENDPOINT || scenario_addr_is_any (p->tok.ip))
    return fail_expected (p, SCENARIO_ERROR_SYNTAX, "the destination ADDRESS:PORT", error);
  const ScenarioHost *to = scenario_script_find_address (p->script, p->tok.ip);
  if (to == NULL || to->scripted)
    return fail_at (error, &p->tok.loc, SCENARIO_ERROR_UNKNOWN_HOST,
                    "no host with a TCP stack owns %.*s", (int) p->tok.len, p->tok.text);
  step->host = g_intern_string (to->name);
  step->segment->dst_ip = p->tok.ip;
  step->segment->dst_port = p->tok.port;
  if (!advance (p, error))
    return FALSE;
  return parse_segment_fields (p, step, TRUE, error);
}

/* `expect segment HOST [-> ADDR[:PORT]] FLAGS [field=value ...]`; the
 * current token is `segment`. */
static gboolean
parse_expect_segment (Parser *p, ScenarioStep *step, GError **error)
{
  ScenarioLoc loc;
  step->kind = SCENARIO_STEP_EXPECT_SEGMENT;
  step->segment = scenario_segment_new ();
  step->time_lo = step->time_hi = step->time;
  if (!advance (p, error) || !parse_step_host (p, FALSE, &step->host, &loc, error))
    return FALSE;
  const ScenarioHost *sh = scenario_script_find_host (p->script, step->host);
  if (sh->scripted)
    return fail_at (error, &loc, SCENARIO_ERROR_INVALID,
                    "%s is a scripted peer and sends only what is injected", step->host);
  /* `expect segment HOST VAR ...`: on that socket's connection. */
  if (p->tok.kind == SCENARIO_TOKEN_IDENT)
    {
      g_autofree char *word = scenario_token_dup_text (&p->tok);
      if (g_hash_table_contains (host_vars (p, step->host), word))
        {
          step->var = g_intern_string (word);
          if (!advance (p, error))
            return FALSE;
        }
    }
  if (p->tok.kind == SCENARIO_TOKEN_ARROW)
    {
      if (!advance (p, error))
        return FALSE;
      if ((p->tok.kind != SCENARIO_TOKEN_ENDPOINT && p->tok.kind != SCENARIO_TOKEN_ADDRESS)
          || scenario_addr_is_any (p->tok.ip))
        return fail_expected (p, SCENARIO_ERROR_SYNTAX, "the destination ADDRESS[:PORT]",
                              error);
      step->segment->dst_ip = p->tok.ip;
      step->segment->dst_port = p->tok.kind == SCENARIO_TOKEN_ENDPOINT ? p->tok.port : 0;
      if (!advance (p, error))
        return FALSE;
    }
  return parse_segment_fields (p, step, FALSE, error);
}

/* ---- timed lines and the top level ------------------------------------- */

static gboolean
parse_time (Parser *p, SimTime *out, GError **error)
{
  const ScenarioToken *tok = &p->tok;
  SimTime t = tok->duration;

  if (tok->kind == SCENARIO_TOKEN_REL_DURATION)
    {
      if (t > G_MAXINT64 - p->last_time)
        return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_TIME,
                        "time '%.*s' is too far in the future", (int) tok->len, tok->text);
      t += p->last_time;
    }
  else if (t < p->last_time)
    {
      g_autoptr (GString) prev = g_string_new (NULL);
      scenario_time_append (prev, p->last_time);
      return fail_at (error, &tok->loc, SCENARIO_ERROR_TIME_BACKWARDS,
                      "time runs backwards: %.*s is before %s on line %u", (int) tok->len,
                      tok->text, prev->str, p->last_time_line);
    }
  p->last_time = t;
  p->last_time_line = tok->loc.line;
  *out = t;
  return advance (p, error);
}

/* `TIME end`: the run stops at TIME, once that instant's expectations have
 * been checked. Nothing timed may follow it: an expectation after the end
 * could never be checked. */
static gboolean
parse_end (Parser *p, const ScenarioLoc *loc, SimTime t, GError **error)
{
  p->script->has_end = TRUE;
  p->script->end_time = t;
  p->script->end_loc = *loc;
  if (!advance (p, error))
    return FALSE;
  return expect_line_end (p, error);
}

/* `TIME crash HOST`, `TIME reboot HOST [quiet=DURATION]`. A crashed host
 * runs no line until its reboot; crashing it twice is an error. */
static gboolean
parse_crash_reboot (Parser *p, ScenarioStep *step, GError **error)
{
  gboolean reboot = scenario_token_is_ident (&p->tok, "reboot");
  ScenarioLoc host_loc;
  step->kind = reboot ? SCENARIO_STEP_REBOOT : SCENARIO_STEP_CRASH;
  if (!advance (p, error) || !parse_step_host (p, FALSE, &step->host, &host_loc, error))
    return FALSE;
  gpointer crashed_on = g_hash_table_lookup (p->down, step->host);
  if (!reboot && crashed_on != NULL)
    return fail_at (error, &host_loc, SCENARIO_ERROR_INVALID,
                    "host %s is already down (crash on line %u); reboot it first", step->host,
                    GPOINTER_TO_UINT (crashed_on));
  g_autoptr (GPtrArray) settings = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_setting_free);
  if (!parse_settings (p, settings, error))
    return FALSE;
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      const char *problem = NULL;
      if (!reboot || strcmp (s->key, "quiet") != 0)
        return fail_at (error, &s->key_loc, SCENARIO_ERROR_INVALID,
                        reboot ? "unknown reboot setting '%s' (known: quiet)"
                               : "crash takes no settings, but got '%s'", s->key);
      if (!sim_time_parse_duration (s->value, &step->quiet_time, &problem))
        return fail_at (error, &s->value_loc, SCENARIO_ERROR_BAD_TIME,
                        "bad quiet time '%s': %s", s->value, problem);
    }
  if (reboot)
    g_hash_table_remove (p->down, step->host);
  else
    g_hash_table_insert (p->down, g_strdup (step->host), GUINT_TO_POINTER (step->loc.line));
  return expect_line_end (p, error);
}

static gboolean
parse_timed (Parser *p, GError **error)
{
  ScenarioLoc loc = p->tok.loc;
  SimTime t = 0;

  if (!parse_time (p, &t, error))
    return FALSE;
  if (p->script->has_end)
    {
      g_autoptr (GString) at = g_string_new (NULL);
      scenario_time_append (at, p->script->end_time);
      if (scenario_token_is_ident (&p->tok, "end"))
        return fail_at (error, &p->tok.loc, SCENARIO_ERROR_AFTER_END,
                        "the run already ends at %s (line %u): give 'end' once", at->str,
                        p->script->end_loc.line);
      return fail_at (error, &loc, SCENARIO_ERROR_AFTER_END,
                      "nothing can happen after the run ends ('%s end' on line %u)", at->str,
                      p->script->end_loc.line);
    }
  if (scenario_token_is_ident (&p->tok, "end"))
    return parse_end (p, &loc, t, error);
  if (scenario_token_is_ident (&p->tok, "crash") || scenario_token_is_ident (&p->tok, "reboot"))
    {
      g_autoptr (ScenarioStep) step = scenario_step_new (SCENARIO_STEP_CRASH, &loc, t);
      if (!parse_crash_reboot (p, step, error))
        return FALSE;
      g_ptr_array_add (p->script->steps, g_steal_pointer (&step));
      return TRUE;
    }
  if (scenario_token_is_ident (&p->tok, "inject"))
    {
      g_autoptr (ScenarioStep) step = scenario_step_new (SCENARIO_STEP_INJECT, &loc, t);
      if (!parse_inject (p, step, error))
        return FALSE;
      g_ptr_array_add (p->script->steps, g_steal_pointer (&step));
      return TRUE;
    }
  if (scenario_token_is_ident (&p->tok, "link"))
    {
      g_autoptr (ScenarioStep) step = scenario_step_new (SCENARIO_STEP_FAULT, &loc, t);
      if (!parse_fault (p, step, error))
        return FALSE;
      g_ptr_array_add (p->script->steps, g_steal_pointer (&step));
    }
  else if (scenario_token_is_ident (&p->tok, "expect"))
    {
      g_autoptr (ScenarioStep) step = scenario_step_new (SCENARIO_STEP_EXPECT_STATE, &loc, t);
      if (!parse_expect (p, step, error))
        return FALSE;
      g_ptr_array_add (p->script->steps, g_steal_pointer (&step));
    }
  else
    {
      g_autoptr (ScenarioStep) step = scenario_step_new (SCENARIO_STEP_CALLS, &loc, t);
      if (!parse_calls (p, step, error))
        return FALSE;
      g_ptr_array_add (p->script->steps, g_steal_pointer (&step));
    }
  return TRUE;
}

static gboolean
parse_line (Parser *p, GError **error)
{
  const ScenarioToken *tok = &p->tok;

  switch (tok->kind)
    {
    case SCENARIO_TOKEN_DURATION:
    case SCENARIO_TOKEN_REL_DURATION:
      return parse_timed (p, error);
    case SCENARIO_TOKEN_INT:
      return fail_at (error, &tok->loc, SCENARIO_ERROR_BAD_TIME,
                      "bad time '%.*s': a time needs a unit: ns, us, ms or s",
                      (int) tok->len, tok->text);
    case SCENARIO_TOKEN_IDENT:
      if (scenario_token_is_ident (tok, "seed"))
        return parse_seed (p, error);
      if (scenario_token_is_ident (tok, "host") || scenario_token_is_ident (tok, "peer"))
        return parse_host (p, error);
      if (scenario_token_is_ident (tok, "link"))
        return parse_link (p, error);
      if (scenario_token_is_ident (tok, "process"))
        return parse_process (p, error);
      {
        g_autofree char *hint = sim_suggest_hint (tok->text, tok->len, directive_words);
        return fail_at (error, &tok->loc, SCENARIO_ERROR_SYNTAX,
                        "unknown directive '%.*s'%s (expected seed, host, peer, link, process or a "
                        "time)", (int) tok->len, tok->text, hint);
      }
    case SCENARIO_TOKEN_EOF:
    case SCENARIO_TOKEN_NEWLINE:
    case SCENARIO_TOKEN_STRING:
    case SCENARIO_TOKEN_ADDRESS:
    case SCENARIO_TOKEN_ENDPOINT:
    case SCENARIO_TOKEN_WORD:
    case SCENARIO_TOKEN_LPAREN:
    case SCENARIO_TOKEN_RPAREN:
    case SCENARIO_TOKEN_LBRACE:
    case SCENARIO_TOKEN_RBRACE:
    case SCENARIO_TOKEN_COMMA:
    case SCENARIO_TOKEN_SEMICOLON:
    case SCENARIO_TOKEN_EQUALS:
    case SCENARIO_TOKEN_ARROW:
    case SCENARIO_TOKEN_PIPE:
      break;
    }
  return fail_expected (p, SCENARIO_ERROR_SYNTAX,
                        "a directive (seed, host, link) or a time", error);
}

static gboolean
parse_script (Parser *p, GError **error)
{
  if (!advance (p, error))
    return FALSE;
  for (;;)
    {
      if (p->tok.kind == SCENARIO_TOKEN_EOF)
        return TRUE;
      if (p->tok.kind != SCENARIO_TOKEN_NEWLINE && !parse_line (p, error))
        return FALSE;
      if (!expect_line_end (p, error))
        return FALSE;
      if (p->tok.kind == SCENARIO_TOKEN_NEWLINE && !advance (p, error))
        return FALSE;
    }
}

ScenarioScript *
scenario_parse_string (const char *text, gssize length, const char *path_for_messages,
                       GError **error)
{
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gsize len = length < 0 ? strlen (text) : (gsize) length;
  g_autoptr (ScenarioScript) script = scenario_script_new (
      path_for_messages != NULL ? path_for_messages : "<string>");
  Parser p = { 0 };
  p.script = script;
  p.lexer = scenario_lexer_new (text != NULL ? text : "", len, script->path);
  p.vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_hash_table_unref);
  p.down = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = parse_script (&p, error);
  scenario_token_clear (&p.tok);
  scenario_lexer_free (p.lexer);
  g_hash_table_unref (p.vars);
  g_hash_table_unref (p.down);
  return ok ? g_steal_pointer (&script) : NULL;
}

ScenarioScript *
scenario_parse_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) io_error = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);
  if (!input_file_read (path, INPUT_FILE_MAX_SCENARIO, &text, &len, &io_error))
    {
      g_set_error_literal (error, SCENARIO_ERROR, SCENARIO_ERROR_IO, io_error->message);
      return NULL;
    }
  return scenario_parse_string (text, (gssize) len, path, error);
}
