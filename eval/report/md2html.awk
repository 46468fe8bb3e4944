# md2html.awk - the small subset of Markdown make-report writes, as HTML:
# headings, paragraphs, bullet lists, pipe tables, fenced code, images
# (![alt](file)) and links ([text](url)).  Not a general Markdown converter.
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	return s
}
function inline(s,    out, m) {
	s = esc(s)
	while (match(s, /!\[[^]]*\]\([^)]*\)/)) {
		m = substr(s, RSTART, RLENGTH)
		alt = m; sub(/^!\[/, "", alt); sub(/\].*/, "", alt)
		src = m; sub(/^[^(]*\(/, "", src); sub(/\)$/, "", src)
		s = substr(s, 1, RSTART - 1) "<img src=\"" src "\" alt=\"" alt "\">" substr(s, RSTART + RLENGTH)
	}
	while (match(s, /\[[^]]*\]\([^)]*\)/)) {
		m = substr(s, RSTART, RLENGTH)
		text = m; sub(/^\[/, "", text); sub(/\].*/, "", text)
		href = m; sub(/^[^(]*\(/, "", href); sub(/\)$/, "", href)
		s = substr(s, 1, RSTART - 1) "<a href=\"" href "\">" text "</a>" substr(s, RSTART + RLENGTH)
	}
	while (match(s, /`[^`]*`/))
		s = substr(s, 1, RSTART - 1) "<code>" substr(s, RSTART + 1, RLENGTH - 2) "</code>" substr(s, RSTART + RLENGTH)
	while (match(s, /\*\*[^*]*\*\*/))
		s = substr(s, 1, RSTART - 1) "<b>" substr(s, RSTART + 2, RLENGTH - 4) "</b>" substr(s, RSTART + RLENGTH)
	return s
}
function close_blocks() {
	if (inpara) { print "</p>"; inpara = 0 }
	if (inlist) { print "</ul>"; inlist = 0 }
	if (intable) { print "</table>"; intable = 0 }
}
BEGIN {
	print "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" title "</title>"
	print "<style>body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em}"
	print "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}"
	print "td:first-child,th:first-child{text-align:left}pre{background:#f4f4f4;padding:.5em;overflow:auto}"
	print "img{max-width:100%;border:1px solid #ddd;margin:.3em 0}</style></head><body>"
}
/^```/ {
	if (incode) { print "</pre>"; incode = 0 } else { close_blocks(); print "<pre>"; incode = 1 }
	next
}
incode { print esc($0); next }
/^#+ / {
	close_blocks()
	n = index($0, " ") - 1
	print "<h" n ">" inline(substr($0, n + 2)) "</h" n ">"
	next
}
/^\|/ {
	if (inpara) { print "</p>"; inpara = 0 }
	if ($0 ~ /^\|[-| :]+\|$/) next
	cell = intable ? "td" : "th"
	if (!intable) { print "<table>"; intable = 1 }
	line = $0; sub(/^\| */, "", line); sub(/ *\|$/, "", line)
	k = split(line, cells, / *\| */)
	row = "<tr>"
	for (i = 1; i <= k; i++) row = row "<" cell ">" inline(cells[i]) "</" cell ">"
	print row "</tr>"
	next
}
/^- / {
	if (!inlist) { close_blocks(); print "<ul>"; inlist = 1 }
	print "<li>" inline(substr($0, 3)) "</li>"
	next
}
/^$/ { close_blocks(); next }
{
	if (intable || inlist) close_blocks()
	if (!inpara) { print "<p>"; inpara = 1 }
	print inline($0)
}
END { close_blocks(); if (incode) print "</pre>"; print "</body></html>" }
