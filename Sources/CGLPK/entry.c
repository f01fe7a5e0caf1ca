// Public entry points: each one is a single guarded build -> use -> free sequence.
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void cglpk_init_params(cglpk_params *params) {
    memset(params, 0, sizeof *params);
    params->msg_lev = GLP_MSG_OFF;
    params->presolve = 1;
    params->time_limit_seconds = 0.0;
    params->mip_gap = 0.0;
    params->br_tech = GLP_BR_DTH;
    params->bt_tech = GLP_BT_BLB;
    params->sr_heur = 1;
    params->progress_interval_seconds = 1.0;
}

typedef struct solve_job {
    const cglpk_problem *problem;
    const cglpk_params *params;
} solve_job;

static void solve_body(void *argument, cglpk_result *result) {
    solve_job *job = argument;
    glp_prob *P = cglpk_build(job->problem, 1);
    cglpk_drive(P, job->params, job->problem->num_cols, job->problem->num_rows, result);
    glp_delete_prob(P);
}

void cglpk_solve(const cglpk_problem *problem, const cglpk_params *params, cglpk_result *result) {
    memset(result, 0, sizeof *result);
    solve_job job = {problem, params};
    cglpk_run_guarded(solve_body, &job, result);
}

typedef struct write_job {
    const cglpk_problem *problem;
    int format;
    const char *path;
} write_job;

static void write_body(void *argument, cglpk_result *result) {
    write_job *job = argument;
    glp_prob *P = cglpk_build(job->problem, 0);
    int failed = job->format == CGLPK_FORMAT_FREE_MPS
                     ? glp_write_mps(P, GLP_MPS_FILE, NULL, job->path)
                     : glp_write_lp(P, NULL, job->path);
    if (failed) {
        result->error = CGLPK_ERROR_FILE;
        cglpk_set_detail(result, "GLPK could not write '%s'", job->path);
    }
    glp_delete_prob(P);
}

void cglpk_write(const cglpk_problem *problem, int format, const char *path, cglpk_result *result) {
    memset(result, 0, sizeof *result);
    write_job job = {problem, format, path};
    cglpk_run_guarded(write_body, &job, result);
}

typedef struct file_job {
    const char *path;
    int format;
    int objective_sense;
    const cglpk_params *params;
} file_job;

/// Copies the names of P's columns (or rows) into one malloc'ed NUL-separated buffer.
static char *collect_names(glp_prob *P, int rows, size_t *length_out) {
    int count = rows ? glp_get_num_rows(P) : glp_get_num_cols(P);
    size_t length = 0;
    for (int k = 1; k <= count; k++) {
        const char *name = rows ? glp_get_row_name(P, k) : glp_get_col_name(P, k);
        length += (name ? strlen(name) : 0) + 1;
    }
    char *buffer = malloc(length > 0 ? length : 1);
    if (buffer == NULL) return NULL;
    char *cursor = buffer;
    for (int k = 1; k <= count; k++) {
        const char *name = rows ? glp_get_row_name(P, k) : glp_get_col_name(P, k);
        size_t size = name ? strlen(name) : 0;
        memcpy(cursor, name ? name : "", size);
        cursor[size] = '\0';
        cursor += size + 1;
    }
    *length_out = length;
    return buffer;
}

static void file_body(void *argument, cglpk_result *result) {
    file_job *job = argument;
    glp_prob *P = glp_create_prob();
    int failed = job->format == CGLPK_FORMAT_FREE_MPS
                     ? glp_read_mps(P, GLP_MPS_FILE, NULL, job->path)
                     : glp_read_lp(P, NULL, job->path);
    if (failed) {
        result->error = CGLPK_ERROR_FILE;
        cglpk_set_detail(result, "GLPK could not read '%s' (see the log for the line)", job->path);
        glp_delete_prob(P);
        return;
    }
    if (job->objective_sense == GLP_MIN || job->objective_sense == GLP_MAX)
        glp_set_obj_dir(P, job->objective_sense);
    int n = glp_get_num_cols(P), m = glp_get_num_rows(P);
    result->col_names = collect_names(P, 0, &result->col_names_length);
    result->row_names = collect_names(P, 1, &result->row_names_length);
    if (result->col_names == NULL || result->row_names == NULL) {
        result->error = CGLPK_ERROR_MEMORY;
        cglpk_set_detail(result, "out of memory for the names");
        glp_delete_prob(P);
        return;
    }
    if (m == 0) glp_set_row_bnds(P, glp_add_rows(P, 1), GLP_FR, 0.0, 0.0);
    if (n == 0) glp_set_col_bnds(P, glp_add_cols(P, 1), GLP_FX, 0.0, 0.0);
    cglpk_drive(P, job->params, n, m, result);
    glp_delete_prob(P);
}

void cglpk_solve_file(const char *path, int format, int objective_sense, const cglpk_params *params,
                      cglpk_result *result) {
    memset(result, 0, sizeof *result);
    file_job job = {path, format, objective_sense, params};
    cglpk_run_guarded(file_body, &job, result);
}

static void probe_body(void *argument, cglpk_result *result) {
    int probe = *(const int *)argument;
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, 1);
    glp_add_cols(P, 2);
    if (probe == CGLPK_PROBE_DUPLICATE_ENTRY) {
        int index[3] = {0, 1, 1};   // column 1 twice: GLPK treats this as a fatal error
        double value[3] = {0.0, 1.0, 2.0};
        glp_set_mat_row(P, 1, 2, index, value);
    } else {
        glp_set_col_bnds(P, 5, GLP_LO, 0.0, 0.0);   // only 2 columns exist
    }
    cglpk_set_detail(result, "the probe's misuse was not detected by GLPK");
    glp_delete_prob(P);
}

void cglpk_probe_misuse(int probe, cglpk_result *result) {
    memset(result, 0, sizeof *result);
    cglpk_run_guarded(probe_body, &probe, result);
}
