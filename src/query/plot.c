/* plot: layout and SVG output of a labelled scatter plot. Labels are placed in the order of
 * the points (so the caller lists the important ones first), each at the first free spot
 * of rings of candidate positions around its point. */
#include "query/plot.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Blank border around the points, in pixels: room for the labels of the outer points. */
#define PLOT_MARGIN 70.0
/* Radius of a point's dot, and the room kept around label boxes, in pixels. */
#define PLOT_DOT 4.0
#define PLOT_PAD 2.0
/* Candidate label positions: PLOT_RINGS rings around the point, the first PLOT_GAP pixels
 * from it, each PLOT_STEP farther; beyond the first ring a leader line is drawn. */
#define PLOT_RINGS 14
#define PLOT_GAP 5.0
#define PLOT_STEP 9.0
/* Text box extent above and below the baseline, in font sizes (ascent and descent). */
#define PLOT_ASCENT 0.80
#define PLOT_DESCENT 0.25
/* 1 / sqrt(2): a diagonal step of unit length. */
#define PLOT_INV_SQRT2 0.70710678118654752440

struct box {
    double x0, y0, x1, y1;
};

static const char *const kind_class[] = {"word", "neighbour", "answer"};
static const char *const kind_colour[] = {"#1a4f8b", "#9bb7d4", "#b8322a"};
static const char *const kind_text[] = {"#12375f", "#6f8fae", "#8f2019"};

/* Characters of a UTF-8 label as drawn (an invalid byte counts as one U+FFFD). */
static int label_chars(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        n += (*p & 0xC0) != 0x80;
    }
    return n;
}

static double overlap_area(struct box a, struct box b)
{
    double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0);
    double h = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
    return w > 0.0 && h > 0.0 ? w * h : 0.0;
}

/* The caption's box (bottom left), an obstacle for labels. */
static struct box caption_box(const struct plot_spec *s)
{
    if (s->caption == NULL) {
        return (struct box){0, 0, 0, 0};
    }
    double w = label_chars(s->caption) * PLOT_FONT * PLOT_CHAR_EM;
    return (struct box){0.0, s->height - 1.6 * PLOT_FONT - PLOT_PAD, w + 2 * PLOT_FONT,
                        (double)s->height};
}

/* Maps data coordinates to pixels with one scale for both axes, centred. */
static void map_points(const struct plot_spec *s, struct plot_place *out)
{
    double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
    for (int i = 0; i < s->n; i++) {
        x0 = fmin(x0, s->pts[i].x);
        x1 = fmax(x1, s->pts[i].x);
        y0 = fmin(y0, s->pts[i].y);
        y1 = fmax(y1, s->pts[i].y);
    }
    double aw = s->width - 2 * PLOT_MARGIN;
    double ah = s->height - 2 * PLOT_MARGIN;
    double sx = x1 > x0 ? aw / (x1 - x0) : HUGE_VAL;
    double sy = y1 > y0 ? ah / (y1 - y0) : HUGE_VAL;
    double scale = fmin(sx, sy);
    scale = isfinite(scale) ? scale : 1.0;
    for (int i = 0; i < s->n; i++) {
        out[i].px = s->width / 2.0 + (s->pts[i].x - (x0 + x1) / 2.0) * scale;
        out[i].py = s->height / 2.0 - (s->pts[i].y - (y0 + y1) / 2.0) * scale;
    }
}

/* Candidate 'c' (ring c / 8, one of 8 directions) for a w x h label of a point at (px, py). */
static struct box candidate(int c, double px, double py, double w, double h)
{
    static const double dir[8][2] = {{1, 0}, {-1, 0}, {0, -1}, {0, 1},
                                     {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
    int ring = c / 8; /* whole rings */
    double d = PLOT_GAP + PLOT_DOT + ring * PLOT_STEP;
    double dx = dir[c % 8][0];
    double dy = dir[c % 8][1];
    if (dx != 0.0 && dy != 0.0) {
        d *= PLOT_INV_SQRT2;
    }
    /* the box's corner or edge nearest the point sits at distance d in direction (dx, dy) */
    double x0 = dx > 0 ? px + d : dx < 0 ? px - d - w : px - w / 2.0;
    double y0 = dy > 0 ? py + d : dy < 0 ? py - d - h : py - h / 2.0;
    return (struct box){x0, y0, x0 + w, y0 + h};
}

/* Pixels of the segment from 'f' to 't' inside box 'b' (sampled every pixel). */
static double segment_in_box(const struct plot_place *f, const struct plot_place *t,
                             struct box b)
{
    double len = hypot(t->px - f->px, t->py - f->py);
    int steps = (int)len + 1;
    double inside = 0.0;
    for (int i = 0; i <= steps; i++) {
        double x = f->px + (t->px - f->px) * i / steps;
        double y = f->py + (t->py - f->py) * i / steps;
        inside += x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1;
    }
    return inside;
}

/* How much box 'b' collides with the canvas edge, the caption, the dots, the arrows and
 * the labels placed so far (labels 'order[0..placed)'). 0 means free. */
static double collisions(const struct plot_spec *s, const struct plot_place *out,
                         const int *order, int placed, struct box b)
{
    struct box padded = {b.x0 - PLOT_PAD, b.y0 - PLOT_PAD, b.x1 + PLOT_PAD, b.y1 + PLOT_PAD};
    double bad = 0.0;
    if (b.x0 < PLOT_PAD || b.y0 < PLOT_PAD || b.x1 > s->width - PLOT_PAD ||
        b.y1 > s->height - PLOT_PAD) {
        bad += 1e9; /* outside the canvas: never chosen while anything else is possible */
    }
    bad += overlap_area(padded, caption_box(s));
    for (int i = 0; i < s->n; i++) {
        struct box dot = {out[i].px - PLOT_DOT, out[i].py - PLOT_DOT, out[i].px + PLOT_DOT,
                          out[i].py + PLOT_DOT};
        bad += overlap_area(padded, dot);
    }
    for (int a = 0; a < s->narrows; a++) {
        bad += segment_in_box(&out[s->arrows[a].from], &out[s->arrows[a].to], padded);
    }
    for (int j = 0; j < placed; j++) {
        const struct plot_place *q = &out[order[j]];
        bad += overlap_area(padded, (struct box){q->bx0, q->by0, q->bx1, q->by1});
    }
    return bad;
}

/* Places label 'i'; returns true if it had to overlap something. */
static bool place_label(const struct plot_spec *s, struct plot_place *out, const int *order,
                        int placed, int i)
{
    struct plot_place *p = &out[i];
    double w = label_chars(s->pts[i].label) * PLOT_FONT * PLOT_CHAR_EM;
    double h = (PLOT_ASCENT + PLOT_DESCENT) * PLOT_FONT;
    int best = 0;
    double best_bad = HUGE_VAL;
    for (int c = 0; c < PLOT_RINGS * 8; c++) {
        double bad = collisions(s, out, order, placed, candidate(c, p->px, p->py, w, h));
        if (bad < best_bad) {
            best_bad = bad;
            best = c;
        }
        if (bad == 0.0) {
            break;
        }
    }
    struct box b = candidate(best, p->px, p->py, w, h);
    p->bx0 = b.x0;
    p->by0 = b.y0;
    p->bx1 = b.x1;
    p->by1 = b.y1;
    p->tx = b.x0;
    p->ty = b.y0 + PLOT_ASCENT * PLOT_FONT;
    p->leader = best >= 8;
    p->overlaps = best_bad > 0.0;
    return p->overlaps;
}

int plot_layout(const struct plot_spec *spec, struct plot_place *out)
{
    map_points(spec, out);
    /* the words asked for first, then analogy answers, then neighbours */
    int *order = xmalloc((size_t)(spec->n > 0 ? spec->n : 1) * sizeof *order);
    int placed = 0;
    static const enum plot_kind rank[] = {PLOT_WORD, PLOT_ANSWER, PLOT_NEIGHBOUR};
    int overlaps = 0;
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < spec->n; i++) {
            if (spec->pts[i].kind == rank[r]) {
                overlaps += place_label(spec, out, order, placed, i);
                order[placed++] = i;
            }
        }
    }
    free(order);
    return overlaps;
}

/* Length of the valid UTF-8 sequence at 's' (1 to 4), or 0 if it is not one. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
          : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 2 && s[0] < 0xC2) {
        return 0; /* overlong */
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* Writes 's' as XML character data: markup characters escaped, control characters and
 * invalid UTF-8 bytes replaced by U+FFFD (XML 1.0 allows neither). */
static int write_text(struct outfile *of, const char *s, struct w2v_err *err)
{
    int rc = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && rc == 0;) {
        int n = utf8_len(p);
        const char *esc = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                        : *p == '"' ? "&quot;" : *p == '\'' ? "&apos;" : NULL;
        if (esc != NULL) {
            rc = outfile_write(of, esc, strlen(esc), err);
        } else if (n == 0 || (*p < 0x20 && *p != '\t')) {
            rc = outfile_write(of, "&#xFFFD;", 8, err);
            n = 1;
        } else {
            rc = outfile_write(of, p, (size_t)n, err);
        }
        p += n > 0 ? n : 1;
    }
    return rc;
}

static int svg_head(struct outfile *of, const struct plot_spec *s, struct w2v_err *err)
{
    return outfile_printf(
        of, err,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, Liberation Mono, monospace\" "
        "font-size=\"%d\">\n"
        "<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
        "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker></defs>\n"
        "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"%d\" height=\"%d\" fill=\"white\" "
        "stroke=\"#bbbbbb\"/>\n",
        s->width, s->height, s->width, s->height, PLOT_FONT, s->width - 1, s->height - 1);
}

/* Arrows end at the edge of the target's dot. */
static int svg_arrows(struct outfile *of, const struct plot_spec *s,
                      const struct plot_place *pl, struct w2v_err *err)
{
    int rc = 0;
    for (int a = 0; a < s->narrows && rc == 0; a++) {
        const struct plot_place *f = &pl[s->arrows[a].from];
        const struct plot_place *t = &pl[s->arrows[a].to];
        double dx = t->px - f->px;
        double dy = t->py - f->py;
        double len = sqrt(dx * dx + dy * dy);
        double cut = len > 2 * PLOT_DOT ? (PLOT_DOT + 1.0) / len : 0.0;
        rc = outfile_printf(of, err,
                            "<line class=\"arrow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\" stroke=\"#555555\" stroke-width=\"1.5\" "
                            "marker-end=\"url(#arrowhead)\"/>\n",
                            f->px, f->py, t->px - dx * cut, t->py - dy * cut);
    }
    return rc;
}

/* One point: a group holding its dot, its optional leader line and its label. */
static int svg_point(struct outfile *of, const struct plot_point *pt,
                     const struct plot_place *p, struct w2v_err *err)
{
    int k = (int)pt->kind;
    /* the principal-component coordinates themselves, for readers of the file */
    int rc = outfile_printf(of, err, "<g class=\"point %s\" data-x=\"%.9g\" data-y=\"%.9g\">",
                            kind_class[k], pt->x, pt->y);
    if (rc == 0 && p->leader) {
        double lx = fmin(fmax(p->px, p->bx0), p->bx1);
        double ly = fmin(fmax(p->py, p->by0), p->by1);
        rc = outfile_printf(of, err,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                            "stroke=\"#cccccc\"/>",
                            p->px, p->py, lx, ly);
    }
    if (rc == 0) {
        rc = outfile_printf(of, err,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">",
                            p->px, p->py, PLOT_DOT, kind_colour[k], p->tx, p->ty,
                            kind_text[k]);
    }
    if (rc == 0) {
        rc = write_text(of, pt->label, err);
    }
    return rc == 0 ? outfile_printf(of, err, "</text></g>\n") : rc;
}

int plot_svg(struct outfile *of, const struct plot_spec *spec, int *overlaps,
             struct w2v_err *err)
{
    struct plot_place *pl = xmalloc((size_t)(spec->n > 0 ? spec->n : 1) * sizeof *pl);
    int bad = plot_layout(spec, pl);
    if (overlaps != NULL) {
        *overlaps = bad;
    }
    int rc = svg_head(of, spec, err);
    if (rc == 0) {
        rc = svg_arrows(of, spec, pl, err);
    }
    /* neighbours first, so that the words asked for are drawn on top */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        for (int i = 0; i < spec->n && rc == 0; i++) {
            if ((spec->pts[i].kind == PLOT_NEIGHBOUR) == (pass == 0)) {
                rc = svg_point(of, &spec->pts[i], &pl[i], err);
            }
        }
    }
    if (rc == 0 && spec->caption != NULL) {
        rc = outfile_printf(of, err, "<text class=\"caption\" x=\"%d\" y=\"%.1f\" "
                            "fill=\"#777777\">", PLOT_FONT,
                            spec->height - 0.6 * PLOT_FONT);
        rc = rc == 0 ? write_text(of, spec->caption, err) : rc;
        rc = rc == 0 ? outfile_printf(of, err, "</text>\n") : rc;
    }
    if (rc == 0) {
        rc = outfile_printf(of, err, "</svg>\n");
    }
    free(pl);
    return rc;
}
