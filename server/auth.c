/*
 * server/auth.c — the authentication step of a session.
 *
 * session.c calls auth_start() once the startup packet is accepted, and
 * auth_continue() for each password-type ('p') message the client sends
 * while the session is in state AUTH. The exchange is a small state machine
 * per method, kept in AuthState, so a challenge-response method plugs in
 * without touching the session:
 *
 *     TRUST:          start ──▶ AuthenticationOk ──▶ DONE
 *
 *     SCRAM-SHA-256 (not yet; the shape it will take):
 *                     start ──▶ AuthenticationSASL ["SCRAM-SHA-256"] ──▶ WAIT
 *                     'p' SASLInitialResponse (client-first)
 *                           ──▶ AuthenticationSASLContinue (server-first) ──▶ WAIT
 *                     'p' SASLResponse (client-final, proof checked)
 *                           ──▶ AuthenticationSASLFinal + AuthenticationOk ──▶ DONE
 *                     any failure ──▶ FAILED, FATAL 28P01
 *                       "password authentication failed for user \"%s\""
 *
 * The deadline (--startup-timeout) is the session's, not this file's.
 *
 * Invariants:
 *   1. AUTH_DONE is returned only after AuthenticationOk was written to out.
 *   2. Every failure is FATAL: a session that fails authentication ends.
 *   3. A 'p' message in a state that expects none is FATAL 08P01.
 */
#include "server/server_int.h"

AuthStatus
auth_start(AuthState *st, AuthMethod method, const char *user, Buf *out, Err *err)
{
    (void)user; /* SCRAM looks the user's verifier up by name */
    st->method = method;
    st->step = 0;
    switch (method) {
    case AUTH_METHOD_TRUST:
        wire_put_auth_ok(out);
        st->step = 1;
        return AUTH_DONE;
    }
    ERR_RAISE_FATAL(err, ERRCODE_INTERNAL_ERROR, "unknown authentication method %d", (int)method);
    return AUTH_FAILED;
}

AuthStatus
auth_continue(AuthState *st, const uint8_t *body, size_t len, Buf *out, Err *err)
{
    (void)body;
    (void)len;
    (void)out;
    switch (st->method) {
    case AUTH_METHOD_TRUST:
        break;
    }
    ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION,
                    "unexpected password message: no authentication is in progress");
    return AUTH_FAILED;
}
