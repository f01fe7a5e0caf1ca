// The last line of defence against GLPK's abort(): glp_error_hook + setjmp/longjmp.
//
// GLPK reports misuse (bad index, duplicate matrix entry, ...) through glp_error, which prints a
// message, calls the hook and then abort()s. Our hook longjmps back to cglpk_run_guarded, which
// then must call glp_free_env (GLPK's documented recovery), turning the crash into an error code.
// The Swift layer validates models first, so reaching this path means a bug, not bad input.
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { LOG_LIMIT_BYTES = 8 << 20, ERROR_TEXT_BYTES = 1024 };

/// Heap-allocated (not an automatic variable) so its contents stay well-defined after longjmp.
struct cglpk_guard {
    jmp_buf jump;
    char *log;
    size_t log_length;
    size_t log_capacity;
    char error_text[ERROR_TEXT_BYTES];
    size_t error_length;
};

/// Depth of guarded calls on this thread; a nested call would free the outer call's environment.
static _Thread_local int guard_depth = 0;

double cglpk_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void cglpk_set_detail(cglpk_result *result, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(result->detail, sizeof result->detail, format, arguments);
    va_end(arguments);
}

static void append_log(cglpk_guard *guard, const char *text) {
    size_t length = strlen(text);
    if (guard->log_length + length + 1 > LOG_LIMIT_BYTES) return;
    if (guard->log_length + length + 1 > guard->log_capacity) {
        size_t capacity = guard->log_capacity ? guard->log_capacity : 4096;
        while (capacity < guard->log_length + length + 1) capacity *= 2;
        char *grown = realloc(guard->log, capacity);
        if (grown == NULL) return;
        guard->log = grown;
        guard->log_capacity = capacity;
    }
    memcpy(guard->log + guard->log_length, text, length + 1);
    guard->log_length += length;
}

static int on_terminal_output(void *info, const char *text) {
    cglpk_guard *guard = info;
    append_log(guard, text);
    if (glp_at_error()) {
        size_t room = ERROR_TEXT_BYTES - 1 - guard->error_length;
        size_t length = strlen(text);
        if (length > room) length = room;
        memcpy(guard->error_text + guard->error_length, text, length);
        guard->error_length += length;
        guard->error_text[guard->error_length] = '\0';
    }
    return 1; // handled: GLPK must not print to stdout
}

static void on_fatal_error(void *info) {
    cglpk_guard *guard = info;
    longjmp(guard->jump, 1);
}

/// GLPK's error text is "<routine>: <problem>\nError detected in file ... at line ...\n".
static void describe_error(cglpk_result *result, const char *text) {
    char message[ERROR_TEXT_BYTES];
    snprintf(message, sizeof message, "%s", text);
    for (char *c = message; *c; c++) {
        if (*c == '\n') *c = (c[1] == '\0') ? '\0' : ' ';
    }
    cglpk_set_detail(result, "GLPK fatal error (trapped): %s", message[0] ? message : "unknown");
}

void cglpk_run_guarded(void (*body)(void *argument, cglpk_result *result), void *argument,
                       cglpk_result *result) {
    if (guard_depth > 0) {
        result->error = CGLPK_ERROR_NESTED;
        cglpk_set_detail(result, "a GLPK solve was started from inside another solve on the same "
                                 "thread (for example from a progress callback)");
        return;
    }
    cglpk_guard *guard = calloc(1, sizeof *guard);
    if (guard == NULL) {
        result->error = CGLPK_ERROR_MEMORY;
        cglpk_set_detail(result, "out of memory");
        return;
    }
    guard_depth += 1;
    double started = cglpk_now();
    glp_error_hook(on_fatal_error, guard);
    glp_term_out(GLP_ON);
    glp_term_hook(on_terminal_output, guard);
    if (setjmp(guard->jump) == 0) {
        body(argument, result);
    } else {
        result->error = CGLPK_ERROR_GLPK;
        describe_error(result, guard->error_text);
    }
    // Both paths: drop every GLPK object and hook of this thread so nothing outlives the call.
    glp_free_env();
    result->seconds = cglpk_now() - started;
    result->log = guard->log;
    result->log_length = guard->log_length;
    free(guard);
    guard_depth -= 1;
}

void cglpk_result_free(cglpk_result *result) {
    free(result->col_value);
    free(result->row_value);
    free(result->row_dual);
    free(result->col_dual);
    free(result->col_names);
    free(result->row_names);
    free(result->log);
    result->col_value = result->row_value = result->row_dual = result->col_dual = NULL;
    result->col_names = result->row_names = result->log = NULL;
}
