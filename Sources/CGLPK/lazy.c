// Lazy constraints: the rows a callback returns for a point the search is about to accept, kept
// in plain malloc'ed arrays (no GLPK call while Swift is on the stack) and then added to the
// current subproblem.
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cglpk_lazy_sink {
    int rows, row_capacity;
    int terms, term_capacity;
    int *row_start;     // [rows + 1]
    double *lower, *upper;
    int *columns;       // 0-based
    double *values;
    int num_cols;
};

/// Capacity for one more row of `count` terms. Returns 0, or -1 when out of memory (the sink is
/// then unchanged but may have grown some arrays).
static int reserve(cglpk_lazy_sink *sink, int count) {
    if (sink->rows + 2 > sink->row_capacity) {
        int capacity = sink->row_capacity > 0 ? 2 * sink->row_capacity : 16;
        int *row_start = realloc(sink->row_start, (size_t)capacity * sizeof(int));
        if (row_start) sink->row_start = row_start;
        double *lower = realloc(sink->lower, (size_t)capacity * sizeof(double));
        if (lower) sink->lower = lower;
        double *upper = realloc(sink->upper, (size_t)capacity * sizeof(double));
        if (upper) sink->upper = upper;
        if (!row_start || !lower || !upper) return -1;
        sink->row_capacity = capacity;
    }
    if (sink->terms + count > sink->term_capacity) {
        int capacity = sink->term_capacity > 0 ? sink->term_capacity : 64;
        while (capacity < sink->terms + count) capacity *= 2;
        int *columns = realloc(sink->columns, (size_t)capacity * sizeof(int));
        if (columns) sink->columns = columns;
        double *values = realloc(sink->values, (size_t)capacity * sizeof(double));
        if (values) sink->values = values;
        if (!columns || !values) return -1;
        sink->term_capacity = capacity;
    }
    return 0;
}

int cglpk_lazy_add_row(cglpk_lazy_sink *sink, int count, const int *columns, const double *values,
                       double lower, double upper) {
    if (sink == NULL || count < 0) return -1;
    for (int k = 0; k < count; k++)
        if (columns[k] < 0 || columns[k] >= sink->num_cols) return -1;
    if (reserve(sink, count)) return -1;
    if (sink->rows == 0) sink->row_start[0] = 0;
    if (count > 0) {
        memcpy(sink->columns + sink->terms, columns, (size_t)count * sizeof(int));
        memcpy(sink->values + sink->terms, values, (size_t)count * sizeof(double));
    }
    sink->terms += count;
    sink->lower[sink->rows] = lower;
    sink->upper[sink->rows] = upper;
    sink->rows++;
    sink->row_start[sink->rows] = sink->terms;
    return 0;
}

static void free_sink(cglpk_lazy_sink *sink) {
    free(sink->row_start);
    free(sink->lower);
    free(sink->upper);
    free(sink->columns);
    free(sink->values);
}

/// Asks the callback about the current LP optimum of the search tree, and adds the rows it
/// returns that the point violates (a row it satisfies would make the search ask again forever).
/// Returns the number of rows added.
int cglpk_lazy_rows(glp_tree *T, const cglpk_params *params, int num_cols, double *scratch,
                    int has_bound, double bound) {
    glp_prob *P = glp_ios_get_prob(T);
    int integral = 1;
    for (int j = 1; j <= num_cols; j++) {
        double x = glp_get_col_prim(P, j);
        if (glp_get_col_kind(P, j) != GLP_CV) {
            double rounded = floor(x + 0.5);
            // GLPK's own integrality test (glp_iocp.tol_int).
            if (fabs(x - rounded) > 1e-5) integral = 0;
            else x = rounded;
        }
        scratch[j - 1] = x;
    }
    cglpk_lazy_point point = {scratch, num_cols, integral, glp_get_obj_val(P), has_bound, bound};
    cglpk_lazy_sink sink = {0};
    sink.num_cols = num_cols;
    params->lazy(params->lazy_context, &point, &sink);
    int added = 0;
    for (int i = 0; i < sink.rows; i++) {
        int begin = sink.row_start[i], end = sink.row_start[i + 1];
        double activity = 0.0, scale = 1.0;
        for (int t = begin; t < end; t++) {
            activity += sink.values[t] * scratch[sink.columns[t]];
            scale = fmax(scale, fabs(sink.values[t] * scratch[sink.columns[t]]));
        }
        double lower = sink.lower[i], upper = sink.upper[i], tolerance = 1e-7 * scale;
        if (!(activity < lower - tolerance || activity > upper + tolerance)) continue;
        int row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, cglpk_bound_type(lower, upper), isinf(lower) ? 0.0 : lower,
                         isinf(upper) ? 0.0 : upper);
        int count = end - begin;
        int *index = glp_alloc(count + 1, sizeof(int));
        double *value = glp_alloc(count + 1, sizeof(double));
        for (int t = 0; t < count; t++) {
            index[t + 1] = sink.columns[begin + t] + 1;
            value[t + 1] = sink.values[begin + t];
        }
        glp_set_mat_row(P, row, count, index, value);
        glp_free(index);
        glp_free(value);
        added++;
    }
    free_sink(&sink);
    return added;
}
