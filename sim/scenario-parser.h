/* scenario-parser.h: scenario text -> ScenarioScript, with semantic checks.
 * The language is described in scenarios/README.md. */
#pragma once

#include <glib.h>

#include "scenario-script.h"

G_BEGIN_DECLS

#define SCENARIO_ERROR (scenario_error_quark ())
GQuark scenario_error_quark (void);

typedef enum {
  SCENARIO_ERROR_SYNTAX,            /* unexpected token or byte */
  SCENARIO_ERROR_BAD_TIME,          /* malformed duration, no unit, overflow */
  SCENARIO_ERROR_TIME_BACKWARDS,    /* a timed line earlier than the one before */
  SCENARIO_ERROR_BAD_ADDRESS,       /* malformed IPv4 address or port */
  SCENARIO_ERROR_UNKNOWN_HOST,
  SCENARIO_ERROR_DUPLICATE_HOST,
  SCENARIO_ERROR_DUPLICATE_ADDRESS,
  SCENARIO_ERROR_UNKNOWN_CALL,
  SCENARIO_ERROR_BAD_ARGUMENTS,     /* count or kind of call arguments, result */
  SCENARIO_ERROR_UNKNOWN_VARIABLE,  /* socket variable not assigned on that host */
  SCENARIO_ERROR_UNKNOWN_ERRNO,
  SCENARIO_ERROR_UNKNOWN_STATE,
  SCENARIO_ERROR_UNKNOWN_OPTION,    /* setsockopt option */
  SCENARIO_ERROR_BAD_SELECTOR,      /* fault segment selector */
  SCENARIO_ERROR_BAD_STRING,        /* unterminated string, bad escape */
  SCENARIO_ERROR_DUPLICATE_SEED,
  SCENARIO_ERROR_BAD_NUMBER,        /* malformed or out-of-range integer */
  SCENARIO_ERROR_IO,                /* the file cannot be read */
  SCENARIO_ERROR_INVALID,           /* other semantic errors; also the runner's */
  SCENARIO_ERROR_UNKNOWN_ACTION,    /* fault action other than drop */
  SCENARIO_ERROR_UNKNOWN_EXPECT,    /* expectation kind other than state, read */
  SCENARIO_ERROR_AFTER_END,         /* a timed line after `TIME end`, or `end` twice */
} ScenarioError;

/* Parse a whole scenario. Returns NULL and sets error at the first problem;
 * the message is "FILE:LINE:COL: what is wrong". */
ScenarioScript *scenario_parse_file   (const char *path, GError **error);
/* length -1: text is NUL-terminated. Otherwise text may contain NUL bytes
 * (which are syntax errors outside strings). */
ScenarioScript *scenario_parse_string (const char *text,
                                       gssize      length,
                                       const char *path_for_messages,
                                       GError    **error);

/* Helper for the runner: an error at a location, message formatted
 * "file:line:col: message". */
void scenario_set_error_at (GError           **error,
                            const ScenarioLoc *loc,
                            ScenarioError      code,
                            const char        *format,
                            ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
