// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-svgchart - a horizontal bar chart as a standalone SVG file, for the
 * evaluation report (no plotting package needed).
 *
 * Input (stdin), one bar per line, tab-separated:  LABEL VALUE [MIN MAX]
 * MIN and MAX draw a whisker (the spread over repeated runs).  A line
 * "# group NAME" starts a group of bars under a heading.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BARS 512
#define LABEL_W 230
#define PLOT_W 420
#define BAR_H 16
#define ROW_H 20
#define TOP 40

struct bar {
	char label[128];
	double value, lo, hi;
	bool whisker, heading;
};

struct chart {
	const char *title, *unit;
	double ref;		/* a reference line (e.g. 1.0 = no overhead); <0: none */
	struct bar bars[MAX_BARS];
	int n;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lcg-svgchart [--title TEXT] [--unit TEXT] [--ref VALUE] <DATA >CHART.svg\n\n"
		"Draw a horizontal bar chart.  DATA: one bar per line, tab-separated\n"
		"LABEL VALUE [MIN MAX] (MIN..MAX is drawn as a whisker); a line\n"
		"\"# group NAME\" starts a group.  --ref draws a dashed line at VALUE.\n"
		"Exit status: 0 success, 1 bad input, 2 usage error.\n");
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static int read_bars(struct chart *c, FILE *in)
{
	char line[512];
	int lineno = 0;

	while (fgets(line, sizeof(line), in)) {
		struct bar *b = &c->bars[c->n];
		char *tab;
		int fields;

		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		if (c->n == MAX_BARS) {
			fprintf(stderr, "lcg-svgchart: more than %d bars; split the chart\n", MAX_BARS);
			return -1;
		}
		memset(b, 0, sizeof(*b));
		if (!strncmp(line, "# group ", 8)) {
			snprintf(b->label, sizeof(b->label), "%s", line + 8);
			b->heading = true;
			c->n++;
			continue;
		}
		tab = strchr(line, '\t');
		if (!tab) {
			fprintf(stderr, "lcg-svgchart: line %d: expected LABEL<TAB>VALUE[<TAB>MIN<TAB>MAX]\n",
				lineno);
			return -1;
		}
		*tab = 0;
		snprintf(b->label, sizeof(b->label), "%s", line);
		fields = sscanf(tab + 1, "%lf %lf %lf", &b->value, &b->lo, &b->hi);
		if (fields != 1 && fields != 3) {
			fprintf(stderr, "lcg-svgchart: line %d: VALUE (and MIN MAX) must be numbers\n",
				lineno);
			return -1;
		}
		b->whisker = fields == 3;
		c->n++;
	}
	return 0;
}

static double scale_max(const struct chart *c)
{
	double max = c->ref > 0 ? c->ref : 0;

	for (int i = 0; i < c->n; i++) {
		const struct bar *b = &c->bars[i];

		if (b->value > max)
			max = b->value;
		if (b->whisker && b->hi > max)
			max = b->hi;
	}
	return max > 0 ? max * 1.08 : 1;
}

static void draw(const struct chart *c, FILE *f)
{
	double max = scale_max(c);
	int height = TOP + c->n * ROW_H + 30, y = TOP;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n", LABEL_W + PLOT_W + 90, height);
	fprintf(f, "<text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">");
	xml_text(f, c->title);
	fprintf(f, "</text>\n");
	for (int i = 0; i < c->n; i++, y += ROW_H) {
		const struct bar *b = &c->bars[i];
		double w = b->value / max * PLOT_W;

		if (b->heading) {
			fprintf(f, "<text x=\"4\" y=\"%d\" font-weight=\"bold\">", y + 13);
			xml_text(f, b->label);
			fprintf(f, "</text>\n");
			continue;
		}
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 6, y + 12);
		xml_text(f, b->label);
		fprintf(f, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			"fill=\"#4a7ab5\"/>\n", LABEL_W, y, w < 0 ? 0 : w, BAR_H);
		if (b->whisker)
			fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
				LABEL_W + b->lo / max * PLOT_W, LABEL_W + b->hi / max * PLOT_W,
				y + BAR_H / 2, y + BAR_H / 2);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.3g ", LABEL_W + (b->whisker && b->hi > b->value ?
			b->hi : b->value) / max * PLOT_W + 4, y + 12, b->value);
		xml_text(f, c->unit);
		fprintf(f, "</text>\n");
	}
	if (c->ref > 0)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#c33\" "
			"stroke-dasharray=\"4,3\"/>\n", LABEL_W + c->ref / max * PLOT_W,
			LABEL_W + c->ref / max * PLOT_W, TOP - 4, y);
	fprintf(f, "</svg>\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "unit", required_argument, NULL, 'u' },
		{ "ref", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct chart c;
	int opt;

	c.title = "";
	c.unit = "";
	c.ref = -1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': c.title = optarg; break;
		case 'u': c.unit = optarg; break;
		case 'r': c.ref = strtod(optarg, NULL); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (read_bars(&c, stdin))
		return 1;
	draw(&c, stdout);
	return ferror(stdout) ? 1 : 0;
}
