/* scenario-lexer.h: bytes -> tokens, each with its line and column.
 *
 * The lexer knows the shape of every token (a duration, an endpoint, a
 * string with escapes) but nothing of the grammar. Malformed tokens are
 * reported here, with the SCENARIO_ERROR codes of scenario-parser.h. */
#pragma once

#include <glib.h>

#include "scenario-script.h"

G_BEGIN_DECLS

typedef enum {
  SCENARIO_TOKEN_EOF,
  SCENARIO_TOKEN_NEWLINE,      /* end of a line (a comment ends there too) */
  SCENARIO_TOKEN_IDENT,        /* [A-Za-z_][A-Za-z0-9_-]*, no trailing '-' */
  SCENARIO_TOKEN_INT,          /* 42, -1: magnitude and negative */
  SCENARIO_TOKEN_DURATION,     /* 10ms: duration */
  SCENARIO_TOKEN_REL_DURATION, /* +10ms: duration */
  SCENARIO_TOKEN_STRING,       /* "..": bytes */
  SCENARIO_TOKEN_ADDRESS,      /* 10.0.0.1, 2001:db8::1, [2001:db8::1]: ip */
  SCENARIO_TOKEN_ENDPOINT,     /* 10.0.0.1:80, *:80, [2001:db8::1]:80, [::]:80: ip, port */
  SCENARIO_TOKEN_WORD,         /* raw setting value, see scenario_lexer_next_word */
  SCENARIO_TOKEN_LPAREN,
  SCENARIO_TOKEN_RPAREN,
  SCENARIO_TOKEN_LBRACE,
  SCENARIO_TOKEN_RBRACE,
  SCENARIO_TOKEN_COMMA,
  SCENARIO_TOKEN_SEMICOLON,
  SCENARIO_TOKEN_EQUALS,
  SCENARIO_TOKEN_ARROW,        /* -> */
  SCENARIO_TOKEN_PIPE,
} ScenarioTokenKind;

typedef struct {
  ScenarioTokenKind kind;
  ScenarioLoc loc;
  const char *text;   /* points into the source; not NUL-terminated */
  gsize len;
  guint64 magnitude;  /* INT */
  gboolean negative;  /* INT */
  SimTime duration;   /* DURATION, REL_DURATION */
  GBytes *bytes;      /* STRING; owned, see scenario_token_clear */
  ScenarioAddr ip;    /* ADDRESS, ENDPOINT */
  guint16 port;       /* ENDPOINT */
} ScenarioToken;

typedef struct _ScenarioLexer ScenarioLexer;

/* text must outlive the lexer; path is used in locations and messages and
 * must outlive the tokens. */
ScenarioLexer *scenario_lexer_new       (const char *text, gsize length, const char *path);
void           scenario_lexer_free      (ScenarioLexer *lexer);
/* Replaces *token (which must be cleared or zeroed) with the next token. */
gboolean       scenario_lexer_next      (ScenarioLexer *lexer,
                                         ScenarioToken *token,
                                         GError       **error);
/* The raw run of printable non-space bytes (except '#') that starts exactly
 * at the current position, as a WORD token: the value of key=value. */
gboolean       scenario_lexer_next_word (ScenarioLexer *lexer,
                                         ScenarioToken *token,
                                         GError       **error);
void           scenario_token_clear     (ScenarioToken *token);
/* For messages: "';'", "'socket'", "end of line", "a string". Free it. */
char          *scenario_token_describe  (const ScenarioToken *token);
/* A copy of the token's source text. */
char          *scenario_token_dup_text  (const ScenarioToken *token);
/* The token's source text, interned (g_intern_string): never freed. */
const char    *scenario_token_intern_text (const ScenarioToken *token);
gboolean       scenario_token_is_ident  (const ScenarioToken *token, const char *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioLexer, scenario_lexer_free)

G_END_DECLS
