/* scenario-lexer.c: bytes -> tokens with line and column. */
#include "scenario-lexer.h"

#include <string.h>

#include "scenario-parser.h"

struct _ScenarioLexer {
  const char *text;
  gsize len;
  gsize pos;
  guint line;
  gsize line_start; /* offset of the first byte of the current line */
  const char *path;
};

ScenarioLexer *
scenario_lexer_new (const char *text, gsize length, const char *path)
{
  ScenarioLexer *lexer = g_new0 (ScenarioLexer, 1);
  lexer->text = text;
  lexer->len = length;
  lexer->line = 1;
  lexer->path = path;
  return lexer;
}

void
scenario_lexer_free (ScenarioLexer *lexer)
{
  g_free (lexer);
}

void
scenario_token_clear (ScenarioToken *token)
{
  g_clear_pointer (&token->bytes, g_bytes_unref);
  memset (token, 0, sizeof *token);
}

char *
scenario_token_dup_text (const ScenarioToken *token)
{
  return g_strndup (token->text, token->len);
}

const char *
scenario_token_intern_text (const ScenarioToken *token)
{
  char buf[64];
  if (token->len < sizeof buf)
    {
      memcpy (buf, token->text, token->len);
      buf[token->len] = '\0';
      return g_intern_string (buf);
    }
  g_autofree char *text = scenario_token_dup_text (token);
  return g_intern_string (text);
}

gboolean
scenario_token_is_ident (const ScenarioToken *token, const char *word)
{
  return token->kind == SCENARIO_TOKEN_IDENT && strlen (word) == token->len
         && memcmp (token->text, word, token->len) == 0;
}

char *
scenario_token_describe (const ScenarioToken *token)
{
  if (token->kind == SCENARIO_TOKEN_EOF)
    return g_strdup ("end of file");
  if (token->kind == SCENARIO_TOKEN_NEWLINE)
    return g_strdup ("end of line");
  if (token->kind == SCENARIO_TOKEN_STRING)
    return g_strdup ("a string");
  if (token->len > 40)
    return g_strdup_printf ("'%.37s...'", token->text);
  return g_strdup_printf ("'%.*s'", (int) token->len, token->text);
}

static void
lexer_loc (const ScenarioLexer *lexer, gsize offset, ScenarioLoc *loc)
{
  loc->file = lexer->path;
  loc->line = lexer->line;
  loc->col = (guint) (offset - lexer->line_start + 1);
}

static int
lexer_peek (const ScenarioLexer *lexer, gsize offset)
{
  return offset < lexer->len ? (guchar) lexer->text[offset] : -1;
}

static gboolean
is_ident_char (int c)
{
  return c >= 0 && (g_ascii_isalnum (c) || c == '_');
}

/* Characters of number-like words: 42, 1.5ms, 10.0.0.1:80. */
static gboolean
is_number_char (int c)
{
  return c >= 0 && (g_ascii_isalnum (c) || c == '.' || c == ':');
}

static void
token_start (ScenarioLexer *lexer, ScenarioToken *token, ScenarioTokenKind kind,
             gsize start, gsize end)
{
  token->kind = kind;
  lexer_loc (lexer, start, &token->loc);
  token->text = lexer->text + start;
  token->len = end - start;
  lexer->pos = end;
}

static gboolean
fail_at (ScenarioLexer *lexer, gsize offset, GError **error, ScenarioError code,
         const char *format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail_at (ScenarioLexer *lexer, gsize offset, GError **error, ScenarioError code,
         const char *format, ...)
{
  ScenarioLoc loc;
  va_list args;

  lexer_loc (lexer, offset, &loc);
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  scenario_set_error_at (error, &loc, code, "%s", message);
  return FALSE;
}

/* "a.b.c.d", each part 1-3 decimal digits up to 255. */
static gboolean
parse_ipv4_value (const char *text, gsize len, guint32 *out)
{
  guint32 ip = 0;
  guint value = 0, digits = 0, parts = 0;

  for (gsize i = 0; i <= len; i++)
    {
      if (i == len || text[i] == '.')
        {
          if (digits == 0 || value > 255)
            return FALSE;
          ip = (ip << 8) | value;
          parts++;
          value = digits = 0;
        }
      else if (g_ascii_isdigit (text[i]) && digits < 3)
        {
          value = value * 10 + (guint) (text[i] - '0');
          digits++;
        }
      else
        return FALSE;
    }
  *out = ip;
  return parts == 4;
}

static gboolean
parse_ipv4 (const char *text, gsize len, ScenarioAddr *out)
{
  guint32 ip;
  if (!parse_ipv4_value (text, len, &ip))
    return FALSE;
  *out = scenario_addr_ip4 (ip);
  return TRUE;
}

/* The digits of a port from port_at to end (RFC 3986 3.2.3). */
static gboolean
lex_port (ScenarioLexer *lexer, ScenarioToken *token, gsize start, gsize port_at, gsize end,
          GError **error)
{
  const char *text = lexer->text + start;
  gsize len = end - start, at = port_at - start;
  guint port = 0;

  if (at == len)
    return fail_at (lexer, port_at, error, SCENARIO_ERROR_BAD_ADDRESS,
                    "missing port after ':' in '%.*s'", (int) len, text);
  for (gsize i = at; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return fail_at (lexer, port_at, error, SCENARIO_ERROR_BAD_ADDRESS,
                        "bad port '%.*s'", (int) (len - at), text + at);
      if (port <= 65535)
        port = port * 10 + (guint) (text[i] - '0');
    }
  if (port > 65535)
    return fail_at (lexer, port_at, error, SCENARIO_ERROR_BAD_ADDRESS,
                    "port %.*s is out of range 0-65535", (int) (len - at), text + at);
  token->port = (guint16) port;
  return TRUE;
}

static gboolean
lex_endpoint (ScenarioLexer *lexer, ScenarioToken *token, gsize start, gsize end,
              GError **error)
{
  const char *text = lexer->text + start;
  gsize len = end - start;
  const char *colon = memchr (text, ':', len);
  gsize addr_len = (gsize) (colon - text), port_at = addr_len + 1;

  if (memchr (colon + 1, ':', len - port_at) != NULL)
    return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_ADDRESS,
                    "bad endpoint '%.*s' (expected ADDRESS:PORT)", (int) len, text);
  if (addr_len == 1 && text[0] == '*')
    token->ip = scenario_addr_ip4 (0);
  else if (!parse_ipv4 (text, addr_len, &token->ip))
    return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_ADDRESS,
                    "bad IPv4 address '%.*s'", (int) addr_len, text);
  if (!lex_port (lexer, token, start, start + port_at, end, error))
    return FALSE;
  token_start (lexer, token, SCENARIO_TOKEN_ENDPOINT, start, end);
  return TRUE;
}

static gboolean
is_ip6_char (int c)
{
  return c >= 0 && (g_ascii_isxdigit (c) || c == ':' || c == '.');
}

/* The run of IPv6 address characters at pos, if it has two colons or more
 * (RFC 4291 2.2) and no identifier character follows: `2001:db8::1`,
 * `::1`, `fe80::1`. 0 if there is none. */
static gsize
ip6_word_end (const ScenarioLexer *lexer, gsize pos)
{
  gsize end = pos;
  guint colons = 0;
  while (is_ip6_char (lexer_peek (lexer, end)))
    colons += lexer->text[end++] == ':';
  if (colons < 2 || is_ident_char (lexer_peek (lexer, end)))
    return 0;
  return end;
}

static gboolean
fail_bad_ip6 (ScenarioLexer *lexer, gsize start, gsize len, GError **error)
{
  return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_ADDRESS,
                  "bad IPv6 address '%.*s' (RFC 4291 2.2 text form, as in 2001:db8::1)",
                  (int) len, lexer->text + start);
}

/* A bare IPv6 address: an ADDRESS token (it cannot carry a port: write
 * [2001:db8::1]:80, RFC 3986 3.2.2). */
static gboolean
lex_ip6_word (ScenarioLexer *lexer, ScenarioToken *token, gsize end, GError **error)
{
  gsize start = lexer->pos;
  if (!scenario_addr_parse_ip6 (lexer->text + start, end - start, &token->ip))
    return fail_bad_ip6 (lexer, start, end - start, error);
  token_start (lexer, token, SCENARIO_TOKEN_ADDRESS, start, end);
  return TRUE;
}

/* `[2001:db8::1]` (ADDRESS) or `[2001:db8::1]:80`, `[::]:80` (ENDPOINT). */
static gboolean
lex_bracketed (ScenarioLexer *lexer, ScenarioToken *token, GError **error)
{
  gsize start = lexer->pos, close = start + 1;
  while (is_ip6_char (lexer_peek (lexer, close)))
    close++;
  if (lexer_peek (lexer, close) != ']')
    return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_ADDRESS,
                    "'[' starts an IPv6 address and needs a ']', as in [2001:db8::1]:80");
  if (!scenario_addr_parse_ip6 (lexer->text + start + 1, close - start - 1, &token->ip))
    return fail_bad_ip6 (lexer, start + 1, close - start - 1, error);
  gsize end = close + 1;
  if (lexer_peek (lexer, end) != ':')
    {
      token_start (lexer, token, SCENARIO_TOKEN_ADDRESS, start, end);
      return TRUE;
    }
  while (is_number_char (lexer_peek (lexer, end + 1)))
    end++;
  if (!lex_port (lexer, token, start, close + 2, end + 1, error))
    return FALSE;
  token_start (lexer, token, SCENARIO_TOKEN_ENDPOINT, start, end + 1);
  return TRUE;
}

static gboolean
lex_duration (ScenarioLexer *lexer, ScenarioToken *token, gsize start, gsize end,
              ScenarioTokenKind kind, GError **error)
{
  gsize digits_at = kind == SCENARIO_TOKEN_REL_DURATION ? start + 1 : start;
  g_autofree char *text = g_strndup (lexer->text + digits_at, end - digits_at);
  const char *why = NULL;

  if (!sim_time_parse_duration (text, &token->duration, &why))
    return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_TIME, "bad time '%.*s': %s",
                    (int) (end - start), lexer->text + start, why);
  token_start (lexer, token, kind, start, end);
  return TRUE;
}

static gboolean
lex_int (ScenarioLexer *lexer, ScenarioToken *token, gsize start, gsize end,
         GError **error)
{
  gboolean negative = lexer->text[start] == '-';
  guint64 value = 0;

  for (gsize i = negative ? start + 1 : start; i < end; i++)
    {
      guint digit = (guint) (lexer->text[i] - '0');
      if (value > (G_MAXUINT64 - digit) / 10)
        return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_NUMBER,
                        "number '%.*s' is too large", (int) (end - start),
                        lexer->text + start);
      value = value * 10 + digit;
    }
  token->magnitude = value;
  token->negative = negative;
  token_start (lexer, token, SCENARIO_TOKEN_INT, start, end);
  return TRUE;
}

/* A word that starts with a digit, '-digit', '+digit' or '*:'. Its shape
 * decides the kind: digits only is an integer, a ':' makes an endpoint,
 * two or more dots an address, anything else a duration. */
static gboolean
lex_number_word (ScenarioLexer *lexer, ScenarioToken *token, GError **error)
{
  gsize start = lexer->pos, end = start + 1;
  char sign = lexer->text[start];
  guint dots = 0;
  gboolean alpha = FALSE, colon = FALSE;

  while (is_number_char (lexer_peek (lexer, end)))
    end++;
  for (gsize i = start; i < end; i++)
    {
      dots += lexer->text[i] == '.';
      alpha |= g_ascii_isalpha (lexer->text[i]);
      colon |= lexer->text[i] == ':';
    }
  if (sign == '+')
    return lex_duration (lexer, token, start, end, SCENARIO_TOKEN_REL_DURATION, error);
  if (sign == '-' && (alpha || dots || colon))
    return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_NUMBER,
                    "bad number '%.*s' (only integers can be negative)",
                    (int) (end - start), lexer->text + start);
  if (colon || sign == '*')
    return lex_endpoint (lexer, token, start, end, error);
  if (!alpha && dots >= 2)
    {
      if (!parse_ipv4 (lexer->text + start, end - start, &token->ip))
        return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_ADDRESS,
                        "bad IPv4 address '%.*s'", (int) (end - start),
                        lexer->text + start);
      token_start (lexer, token, SCENARIO_TOKEN_ADDRESS, start, end);
      return TRUE;
    }
  if (!alpha && dots == 0)
    return lex_int (lexer, token, start, end, error);
  return lex_duration (lexer, token, start, end, SCENARIO_TOKEN_DURATION, error);
}

static gboolean
hex_value (int c, guint *out)
{
  if (c < 0 || !g_ascii_isxdigit (c))
    return FALSE;
  *out = (guint) g_ascii_xdigit_value ((char) c);
  return TRUE;
}

/* Decodes the escape at lexer->text[*pos] == '\\', advancing *pos past it. */
static gboolean
lex_escape (ScenarioLexer *lexer, gsize *pos, GByteArray *out, GError **error)
{
  gsize at = *pos;
  int c = lexer_peek (lexer, at + 1);
  guint8 byte;
  guint hi, lo;

  switch (c)
    {
    case 'n':
      byte = '\n';
      break;
    case 't':
      byte = '\t';
      break;
    case 'r':
      byte = '\r';
      break;
    case '"':
    case '\\':
      byte = (guint8) c;
      break;
    case 'x':
      if (!hex_value (lexer_peek (lexer, at + 2), &hi)
          || !hex_value (lexer_peek (lexer, at + 3), &lo))
        return fail_at (lexer, at, error, SCENARIO_ERROR_BAD_STRING,
                        "bad escape in string: \\x needs two hex digits, as in \\x00");
      g_byte_array_append (out, (const guint8[]) { (guint8) (hi << 4 | lo) }, 1);
      *pos = at + 4;
      return TRUE;
    default:
      if (c < 0 || c == '\n')
        return fail_at (lexer, at, error, SCENARIO_ERROR_BAD_STRING,
                        "bad escape in string: '\\' at the end of the line");
      if (c < 0x20 || c >= 0x7f)
        return fail_at (lexer, at, error, SCENARIO_ERROR_BAD_STRING,
                        "bad escape in string: '\\' before byte 0x%02x", (guint) c);
      return fail_at (lexer, at, error, SCENARIO_ERROR_BAD_STRING,
                      "bad escape '\\%c' in string (use \\n \\t \\r \\\" \\\\ or \\xNN)",
                      c);
    }
  g_byte_array_append (out, &byte, 1);
  *pos = at + 2;
  return TRUE;
}

static gboolean
lex_string (ScenarioLexer *lexer, ScenarioToken *token, GError **error)
{
  gsize start = lexer->pos, pos = start + 1;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();

  for (;;)
    {
      int c = lexer_peek (lexer, pos);
      if (c < 0 || c == '\n')
        return fail_at (lexer, start, error, SCENARIO_ERROR_BAD_STRING,
                        "unterminated string (missing closing '\"')");
      if (c == '"')
        break;
      if (c == '\\')
        {
          if (!lex_escape (lexer, &pos, bytes, error))
            return FALSE;
          continue;
        }
      g_byte_array_append (bytes, (const guint8 *) lexer->text + pos, 1);
      pos++;
    }
  token_start (lexer, token, SCENARIO_TOKEN_STRING, start, pos + 1);
  token->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  return TRUE;
}

static gboolean
lex_ident (ScenarioLexer *lexer, ScenarioToken *token)
{
  gsize end = lexer->pos + 1;

  /* '-' belongs to an identifier only between identifier characters, so
   * TIME-WAIT is one token and client->server is three. */
  while (is_ident_char (lexer_peek (lexer, end))
         || (lexer_peek (lexer, end) == '-' && is_ident_char (lexer_peek (lexer, end + 1))))
    end++;
  token_start (lexer, token, SCENARIO_TOKEN_IDENT, lexer->pos, end);
  return TRUE;
}

static gboolean
lex_bad_byte (ScenarioLexer *lexer, int c, GError **error)
{
  if (c == 0)
    return fail_at (lexer, lexer->pos, error, SCENARIO_ERROR_SYNTAX, "unexpected NUL byte");
  if (c < 0x20 || c >= 0x7f)
    return fail_at (lexer, lexer->pos, error, SCENARIO_ERROR_SYNTAX,
                    "unexpected byte 0x%02x outside a string", (guint) c);
  if (c == '-' || c == '+')
    return fail_at (lexer, lexer->pos, error, SCENARIO_ERROR_SYNTAX,
                    "unexpected '%c' (expected a number after it%s)", c,
                    c == '-' ? ", or '->'" : "");
  if (c == '*')
    return fail_at (lexer, lexer->pos, error, SCENARIO_ERROR_SYNTAX,
                    "unexpected '*' (the wildcard address needs a port, as in *:80)");
  return fail_at (lexer, lexer->pos, error, SCENARIO_ERROR_SYNTAX,
                  "unexpected character '%c'", c);
}

static ScenarioTokenKind
punct_kind (int c)
{
  switch (c)
    {
    case '(':
      return SCENARIO_TOKEN_LPAREN;
    case ')':
      return SCENARIO_TOKEN_RPAREN;
    case '{':
      return SCENARIO_TOKEN_LBRACE;
    case '}':
      return SCENARIO_TOKEN_RBRACE;
    case ',':
      return SCENARIO_TOKEN_COMMA;
    case ';':
      return SCENARIO_TOKEN_SEMICOLON;
    case '=':
      return SCENARIO_TOKEN_EQUALS;
    case '|':
      return SCENARIO_TOKEN_PIPE;
    default:
      return SCENARIO_TOKEN_EOF; /* not punctuation */
    }
}

static void
lexer_skip_blanks (ScenarioLexer *lexer)
{
  for (;;)
    {
      int c = lexer_peek (lexer, lexer->pos);
      if (c == ' ' || c == '\t' || c == '\r')
        lexer->pos++;
      else if (c == '#')
        while (lexer_peek (lexer, lexer->pos) >= 0 && lexer_peek (lexer, lexer->pos) != '\n')
          lexer->pos++;
      else
        return;
    }
}

gboolean
scenario_lexer_next (ScenarioLexer *lexer, ScenarioToken *token, GError **error)
{
  scenario_token_clear (token);
  lexer_skip_blanks (lexer);

  gsize pos = lexer->pos;
  int c = lexer_peek (lexer, pos), next = lexer_peek (lexer, pos + 1);
  ScenarioTokenKind punct = punct_kind (c);

  if (c < 0)
    token_start (lexer, token, SCENARIO_TOKEN_EOF, pos, pos);
  else if (c == '\n')
    {
      token_start (lexer, token, SCENARIO_TOKEN_NEWLINE, pos, pos + 1);
      lexer->line++;
      lexer->line_start = lexer->pos;
    }
  else if (punct != SCENARIO_TOKEN_EOF)
    token_start (lexer, token, punct, pos, pos + 1);
  else if (c == '-' && next == '>')
    token_start (lexer, token, SCENARIO_TOKEN_ARROW, pos, pos + 2);
  else if (c == '[')
    return lex_bracketed (lexer, token, error);
  else if (ip6_word_end (lexer, pos) != 0)
    return lex_ip6_word (lexer, token, ip6_word_end (lexer, pos), error);
  else if (g_ascii_isalpha (c) || c == '_')
    return lex_ident (lexer, token);
  else if (g_ascii_isdigit (c)
           || ((c == '-' || c == '+') && next >= 0 && g_ascii_isdigit (next))
           || (c == '*' && next == ':'))
    return lex_number_word (lexer, token, error);
  else if (c == '"')
    return lex_string (lexer, token, error);
  else
    return lex_bad_byte (lexer, c, error);
  return TRUE;
}

gboolean
scenario_lexer_next_word (ScenarioLexer *lexer, ScenarioToken *token, GError **error)
{
  gsize end = lexer->pos;
  int c;

  scenario_token_clear (token);
  while ((c = lexer_peek (lexer, end)) > 0x20 && c < 0x7f && c != '#')
    end++;
  if (end == lexer->pos)
    return fail_at (lexer, lexer->pos, error, SCENARIO_ERROR_SYNTAX,
                    "expected a value right after '=', as in delay=10ms");
  token_start (lexer, token, SCENARIO_TOKEN_WORD, lexer->pos, end);
  return TRUE;
}
