/* plot: a scatter plot of labelled 2-D points, with optional arrows, written as a
 * hand-made SVG file. The data keep their aspect ratio; every point lies inside the
 * canvas, and labels are placed greedily around their points so that no label overlaps
 * another label, a point or the caption when any such place exists. */
#ifndef W2V_PLOT_H
#define W2V_PLOT_H

#include <stdbool.h>

#include "base/log.h"
#include "io/outfile.h"

/* Canvas size in pixels when none is given. */
#define PLOT_WIDTH 800
#define PLOT_HEIGHT 600
/* Label font size in pixels, and the advance of one character of the monospace font as a
 * fraction of it (DejaVu Sans Mono and Liberation Mono: 0.60; rounded up for safety). */
#define PLOT_FONT 12
#define PLOT_CHAR_EM 0.62

enum plot_kind { PLOT_WORD, PLOT_NEIGHBOUR, PLOT_ANSWER };

struct plot_point {
    const char *label;   /* UTF-8; invalid bytes are drawn as U+FFFD */
    double x, y;         /* data coordinates */
    enum plot_kind kind;
};

/* An arrow from point 'from' to point 'to' (indices into the points). */
struct plot_arrow {
    int from, to;
};

struct plot_spec {
    const struct plot_point *pts;
    int n;
    const struct plot_arrow *arrows;
    int narrows;
    const char *caption; /* one line drawn at the bottom left, or NULL */
    int width, height;   /* pixels */
};

/* Where a point and its label went, in pixels (y grows downwards). */
struct plot_place {
    double px, py;               /* the point */
    double bx0, by0, bx1, by1;   /* the label's box */
    double tx, ty;               /* the label's text origin (left end of its baseline) */
    bool leader;                 /* the label sits away from the point: draw a line */
    bool overlaps;               /* no free place was found */
};

/* Maps the points into the canvas and places their labels; 'out' has spec->n entries.
 * Returns the number of labels that overlap something. */
int plot_layout(const struct plot_spec *spec, struct plot_place *out);

/* Writes the plot as an SVG document to 'of'. '*overlaps' (or NULL) receives
 * plot_layout's count. Returns 0, or -1 with 'err' set by a failed write. */
int plot_svg(struct outfile *of, const struct plot_spec *spec, int *overlaps,
             struct w2v_err *err);

#endif
