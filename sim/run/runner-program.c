/* runner-program.c: a host's timed lines, run like one program: a line
 * starts at its time or when the previous line finished, whichever is
 * later; calls on a line run left to right; blocking calls block in
 * virtual time. */
#include "runner-internal.h"
#include "sim-text.h"

#include <errno.h>
#include <string.h>

static void program_continue (HostProgram *prog);

static const char *
call_name (ScenarioCallKind kind)
{
  switch (kind)
    {
    case SCENARIO_CALL_SOCKET: return "socket";
    case SCENARIO_CALL_SETSOCKOPT: return "setsockopt";
    case SCENARIO_CALL_BIND: return "bind";
    case SCENARIO_CALL_LISTEN: return "listen";
    case SCENARIO_CALL_ACCEPT: return "accept";
    case SCENARIO_CALL_CONNECT: return "connect";
    case SCENARIO_CALL_WRITE: return "write";
    case SCENARIO_CALL_READ: return "read";
    case SCENARIO_CALL_SHUTDOWN: return "shutdown";
    case SCENARIO_CALL_CLOSE: return "close";
    case SCENARIO_CALL_EXIT: return "exit";
    case SCENARIO_CALL_FCNTL: return "fcntl";
    case SCENARIO_CALL_GETSOCKOPT: return "getsockopt";
    }
  return "?";
}

static const ScenarioArg *
arg_at (const ScenarioCall *call, guint i)
{
  g_assert (i < call->n_args); /* the parser checked the shapes */
  return &call->args[i];
}

static VarBinding *
var_lookup (HostProgram *prog, const char *name)
{
  return g_hash_table_lookup (prog->vars, name);
}

static int
arg_fd (HostProgram *prog, const ScenarioCall *call)
{
  VarBinding *b = var_lookup (prog, arg_at (call, 0)->ident);
  return b != NULL ? b->fd : -1;
}

/* ScenarioAddr and NetAddr share a layout (sim/scenario-script.h). */
G_STATIC_ASSERT (sizeof (ScenarioAddr) == sizeof (NetAddr));
G_STATIC_ASSERT ((int) SCENARIO_ADDR_IPV6 == (int) NET_FAMILY_IPV6);

static NetEndpoint
arg_endpoint (const ScenarioArg *arg)
{
  return (NetEndpoint){ .ip = runner_net_addr (arg->ip), .port = arg->port };
}

NetAddr
runner_net_addr (ScenarioAddr a)
{
  NetAddr ip = { .family = (NetFamily) a.family };
  memcpy (ip.bytes, a.bytes, sizeof ip.bytes);
  return ip;
}

static void
bind_var (HostProgram *prog, const ScenarioCall *call, const SockResult *res)
{
  if (call->assign_to == NULL)
    return;
  VarBinding *b = g_new (VarBinding, 1);
  b->fd = (int) res->ret;
  b->sock_id = res->ret >= 0 ? res->sock_id : 0;
  g_hash_table_insert (prog->vars, g_strdup (call->assign_to), b);
}

static void
note_read (HostProgram *prog, const ScenarioCall *call, const SockResult *res)
{
  if (call->kind != SCENARIO_CALL_READ || res->ret <= 0 || res->data == NULL)
    return;
  VarBinding *b = var_lookup (prog, arg_at (call, 0)->ident);
  if (b == NULL || b->sock_id == 0)
    return;
  gsize len;
  const guint8 *data = g_bytes_get_data (res->data, &len);
  if (prog->runner->keeps_reads)
    g_byte_array_append (runner_bytes_read (prog->runner, prog->host, b->sock_id), data,
                         (guint) len);
  verdicts_note_read (prog->runner->verdicts, host_name (prog->host), b->sock_id,
                      sock_conn_id (prog->host, b->sock_id), res->data, res->spans);
}

static void
append_result (GString *out, gint64 ret, int err, GBytes *data)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, ret);
  if (ret == -1)
    g_string_append_printf (out, " %s", sock_errno_name (err));
  if (data != NULL)
    {
      gsize len;
      const guint8 *bytes = g_bytes_get_data (data, &len);
      g_string_append_c (out, ' ');
      sim_text_append_quoted (out, bytes, len);
    }
}

static void
check_result (HostProgram *prog, const ScenarioCall *call, const SockResult *res)
{
  if (!call->has_expect)
    return;
  gboolean ok = res->ret == call->expect_ret
                && (call->expect_ret != -1 || res->err == call->expect_errno);
  if (call->expect_any_fd && call->expect_ret >= 0)
    ok = res->ret >= 0;
  GBytes *actual_data = NULL;
  if (call->expect_data != NULL)
    {
      actual_data = res->data != NULL ? g_bytes_ref (res->data) : g_bytes_new (NULL, 0);
      ok = ok && g_bytes_equal (actual_data, call->expect_data);
    }
  if (ok && !runner_check_traced (prog->runner))
    {
      /* Held, and no sink shows it: only the count changes. */
      runner_record_check (prog->runner, &call->loc, host_name (prog->host), TRUE, NULL, NULL,
                           NULL);
      if (actual_data != NULL)
        g_bytes_unref (actual_data);
      return;
    }
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GString) actual = g_string_new (NULL);
  append_result (expected, call->expect_ret, call->expect_errno, call->expect_data);
  append_result (actual, res->ret, res->err, actual_data);
  g_autofree char *what = g_strdup_printf ("%s()", call_name (call->kind));
  runner_record_check (prog->runner, &call->loc, host_name (prog->host), ok, what,
                       expected->str, actual->str);
  if (actual_data != NULL)
    g_bytes_unref (actual_data);
}

/* getsockopt(V, SO_ERROR, EXPECTED): the value, when the call succeeded. */
static void
check_value (HostProgram *prog, const ScenarioCall *call, const SockResult *res)
{
  if (call->kind != SCENARIO_CALL_GETSOCKOPT || res->ret != 0)
    return;
  const ScenarioArg *want = arg_at (call, 2);
  const char *actual = res->value == 0 ? "0" : sock_errno_name (res->value);
  const char *expected = want->kind == SCENARIO_ARG_INT ? "0" : want->ident;
  runner_record_check (prog->runner, &call->loc, host_name (prog->host),
                       strcmp (actual, expected) == 0, "getsockopt(SO_ERROR) value", expected,
                       actual);
}

/* A blocking call of a packetdrill script (START...END) returns at END,
 * within the tolerance (run.c verify_time's words). */
static void
check_return_time (HostProgram *prog, const ScenarioCall *call)
{
  if (!call->has_return_window)
    return;
  SimTime now = sim_engine_now (prog->runner->engine);
  SimTime tol = (call->return_hi - call->return_lo) / 2;
  gboolean ok = now >= call->return_lo && now <= call->return_hi;
  g_autofree char *detail = g_strdup_printf (
      "timing error: expected system call return at %.6f sec but happened at %.6f sec; "
      "tolerance %.6f sec", (call->return_lo + tol) * 1e-9, now * 1e-9, tol * 1e-9);
  g_autofree char *expected = sim_time_format (call->return_lo + tol);
  g_autofree char *actual = sim_time_format (now);
  runner_record_check_detail (prog->runner, &call->loc, host_name (prog->host), ok,
                              "system call return time", expected, actual, detail);
}

static void
call_done (const SockResult *res, gpointer data)
{
  HostProgram *prog = data;
  const ScenarioCall *call = &prog->line->calls[prog->call_index];
  g_assert (prog->waiting);
  bind_var (prog, call, res);
  note_read (prog, call, res);
  check_result (prog, call, res);
  check_value (prog, call, res);
  check_return_time (prog, call);
  prog->waiting = FALSE;
  prog->call_index++;
  if (!prog->issuing)
    program_continue (prog);
}

static SockOption
option_from_name (const char *name)
{
  if (strcmp (name, "SO_REUSEPORT") == 0)
    return SOCK_OPT_REUSEPORT;
  if (strcmp (name, "SO_KEEPALIVE") == 0)
    return SOCK_OPT_KEEPALIVE;
  if (strcmp (name, "TCP_NODELAY") == 0)
    return SOCK_OPT_NODELAY;
  if (strcmp (name, "SO_EXCLUSIVEADDRUSE") == 0)
    return SOCK_OPT_EXCLUSIVEADDRUSE;
  if (strcmp (name, "IPV6_V6ONLY") == 0)
    return SOCK_OPT_V6ONLY;
  return SOCK_OPT_REUSEADDR;
}

static void
issue_setsockopt (HostProgram *prog, const ScenarioCall *call, int fd)
{
  const ScenarioArg *opt = arg_at (call, 1), *value = arg_at (call, 2);
  if (strcmp (opt->ident, "SO_LINGER") == 0)
    sock_set_linger (prog->host, fd, value->pair[0] != 0, (int) value->pair[1], call_done, prog);
  else
    sock_setsockopt (prog->host, fd, option_from_name (opt->ident), (int) value->num, call_done, prog);
}

static SockShutdownHow
shutdown_how (const char *name)
{
  if (strcmp (name, "SHUT_RD") == 0)
    return SOCK_SHUT_RD;
  if (strcmp (name, "SHUT_RDWR") == 0)
    return SOCK_SHUT_RDWR;
  return SOCK_SHUT_WR;
}

static void
issue_call (HostProgram *prog, const ScenarioCall *call)
{
  Host *h = prog->host;
  int fd = call->kind == SCENARIO_CALL_SOCKET || call->kind == SCENARIO_CALL_EXIT
               ? -1 : arg_fd (prog, call);
  switch (call->kind)
    {
    case SCENARIO_CALL_SOCKET:
      {
        gboolean dgram = call->n_args > 0
                         && strcmp (arg_at (call, 0)->ident, "SOCK_DGRAM") == 0;
        runner_segments_new_socket (prog->runner, host_name (h));
        sock_socket_in (h, prog->pid, dgram ? SOCK_TYPE_DGRAM : SOCK_TYPE_STREAM, call_done, prog);
      }
      break;
    case SCENARIO_CALL_SETSOCKOPT:
      issue_setsockopt (prog, call, fd);
      break;
    case SCENARIO_CALL_BIND:
      sock_bind (h, fd, arg_endpoint (arg_at (call, 1)), call_done, prog);
      break;
    case SCENARIO_CALL_LISTEN:
      sock_listen (h, fd, (int) arg_at (call, 1)->num, call_done, prog);
      break;
    case SCENARIO_CALL_ACCEPT:
      sock_accept (h, fd, call_done, prog);
      break;
    case SCENARIO_CALL_CONNECT:
      sock_connect (h, fd, arg_endpoint (arg_at (call, 1)), call_done, prog);
      break;
    case SCENARIO_CALL_WRITE:
      {
        const ScenarioArg *a = arg_at (call, 1);
        if (a->kind == SCENARIO_ARG_STRING)
          sock_write (h, fd, a->bytes, call_done, prog);
        else
          sock_write_filler (h, fd, (gsize) MAX (a->num, 0), call_done, prog);
      }
      break;
    case SCENARIO_CALL_READ:
      sock_read (h, fd, (gsize) MAX (arg_at (call, 1)->num, 0), call_done, prog);
      break;
    case SCENARIO_CALL_SHUTDOWN:
      sock_shutdown (h, fd, shutdown_how (arg_at (call, 1)->ident), call_done, prog);
      break;
    case SCENARIO_CALL_CLOSE:
      sock_close (h, fd, call_done, prog);
      break;
    case SCENARIO_CALL_FCNTL:
      sock_set_nonblock (h, fd, arg_at (call, 2)->kind == SCENARIO_ARG_IDENT, call_done, prog);
      break;
    case SCENARIO_CALL_GETSOCKOPT:
      sock_get_error (h, fd, call_done, prog);
      break;
    case SCENARIO_CALL_EXIT:
      {
        /* exit(2): the kernel closes every socket of the process; its
         * variables die with it. The rest of the line does not run. */
        sock_process_exit (h, prog->pid, "exited");
        prog->exited = TRUE;
        g_hash_table_remove_all (prog->vars);
        SockResult res = { .ret = 0 };
        call_done (&res, prog);
        prog->call_index = prog->line->n_calls;
      }
      break;
    }
}

/* Runs the calls of the current line until one blocks or the line ends. */
static void
program_continue (HostProgram *prog)
{
  while (prog->line != NULL && !prog->waiting)
    {
      if (prog->call_index >= prog->line->n_calls)
        {
          prog->line = NULL;
          program_poke (prog);
          return;
        }
      const ScenarioCall *call = &prog->line->calls[prog->call_index];
      prog->waiting = TRUE;
      prog->issuing = TRUE;
      issue_call (prog, call);
      prog->issuing = FALSE;
    }
}

/* Starts the next line if the program is free and that line's time has come. */
void
program_poke (HostProgram *prog)
{
  if (prog->line != NULL)
    return;
  /* A line starts once its own time has been reached in the schedule, so
   * that lines of one instant run in file order, interleaved with the
   * injections and faults between them. */
  const ScheduledStep *due = g_queue_peek_head (&prog->lines);
  if (due == NULL || !due->due)
    return;
  const ScenarioStep *next = due->step;
  g_queue_pop_head (&prog->lines);
  if (prog->exited)
    {
      /* A line after exit() (or a crash and reboot) starts the program
       * again: a new process of the same name and user, with no sockets
       * and no variables. */
      prog->pid = sock_process_new (prog->host, prog->subject, prog->uid);
      prog->exited = FALSE;
      g_hash_table_remove_all (prog->vars);
    }
  prog->line = next;
  prog->call_index = 0;
  prog->line_started = sim_engine_now (prog->runner->engine);
  program_continue (prog);
}

void
runner_crash_host (ScenarioRunner *r, const ScenarioStep *step)
{
  Host *host = network_find_host (r->network, step->host);
  SimTime now = sim_engine_now (r->engine);
  /* The kernel forgets every socket; blocked calls never return. */
  sock_host_crash (host);
  for (guint i = 0; i < r->programs->len; i++)
    {
      HostProgram *prog = g_ptr_array_index (r->programs, i);
      if (prog->host != host)
        continue;
      /* The process died: the line it was in and the lines due by now
       * (waiting behind a blocked call) die with it. Later lines come
       * after the reboot (the parser checked) and start a new process.
       * Variables stay until then, so that expectations can still name
       * the dead sockets' connections. */
      prog->line = NULL;
      prog->waiting = FALSE;
      prog->call_index = 0;
      while (!g_queue_is_empty (&prog->lines)
             && ((const ScheduledStep *) g_queue_peek_head (&prog->lines))->step->time <= now)
        g_queue_pop_head (&prog->lines);
      prog->exited = TRUE;
    }
}

void
runner_reboot_host (ScenarioRunner *r, const ScenarioStep *step)
{
  Host *host = network_find_host (r->network, step->host);
  if (!tcp_stack_is_down (host_tcp (host)))
    runner_crash_host (r, step); /* a reboot of a running host crashes it first */
  sock_host_reboot (host, step->quiet_time);
  for (guint i = 0; i < r->programs->len; i++)
    {
      HostProgram *prog = g_ptr_array_index (r->programs, i);
      if (prog->host == host)
        program_poke (prog);
    }
}

/* Describes a line that never finished, for the closing report. */
char *
program_describe_blocked (HostProgram *prog)
{
  if (prog->line == NULL || !prog->waiting)
    return NULL;
  const ScenarioCall *call = &prog->line->calls[prog->call_index];
  return g_strdup_printf ("%s:%u: %s() on %s was still blocked at the end of the run",
                          call->loc.file, call->loc.line, call_name (call->kind),
                          host_name (prog->host));
}
