# docs.sh: the man page documents every option of every command exactly once, in that
# command's section, and nothing else: each option that 'w2v COMMAND -h' lists (both
# spellings of "-size N, -dim N") has one entry there, and each entry names an option that
# some -h of the section lists. The man page also formats without warnings.
#
# An option entry is a .TP line followed by a .B, .BI or .BR line starting with \-name;
# every \-name of that line is documented by the entry ("-width W, -height H" names two).
# The query commands share one section, so an option of several of them has one entry.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
MAN=$here/man/w2v.1
TAB=$(printf '\t')

# The section of the man page that documents each command's options ('eval' alone prints
# the options of 'eval analogy').
SECTIONS='train|TRAIN OPTIONS
similar|QUERY COMMANDS
analogy|QUERY COMMANDS
similarity|QUERY COMMANDS
vector|QUERY COMMANDS
embed|LINE VECTORS
eval|QUERY COMMANDS
eval analogy|QUERY COMMANDS
eval similarity|QUERY COMMANDS
phrases|PHRASES
classes|WORD CLASSES
plot|PLOTS
convert|CONVERT'

# help_options: the options that the -h text on stdin lists, one a line: those of its
# "usage:" lines and of its option lines ("  -name ARG, -other ARG   description"), where
# an ARG is upper case or 0|1 and a comma after it announces another spelling.
help_options() {
    awk '
    /^(usage:|      ) *w2v / {
        for (i = 1; i <= NF; i++) {
            t = $i
            gsub(/[][]/, "", t)
            if (t ~ /^-[a-z][A-Za-z0-9-]*$/) print t
        }
        next
    }
    /^  -[a-z]/ {
        for (i = 1; i <= NF; i++) {
            t = $i
            more = sub(/,$/, "", t)
            if (t !~ /^-[a-z][A-Za-z0-9-]*$/) break
            print t
            if (!more && i < NF && $(i + 1) ~ /^[A-Z0-9|]+,?$/) {
                i++
                more = sub(/,$/, "", $i)
            }
            if (!more) break
        }
    }'
}

# man_entries FILE: "SECTION<tab>-name" for every option an entry of FILE documents, one
# line per entry and name (so a name documented twice gives two lines).
man_entries() {
    awk '
    /^\.SH / {
        section = substr($0, 5)
        gsub(/"/, "", section)
        next
    }
    tp && /^\.B[IR]? +\\-/ {
        line = $0
        gsub(/\\-/, "-", line)
        gsub(/\\f[BIRP]/, "", line)
        gsub(/"/, " ", line)
        n = split(line, t, /[ \t]+/)
        for (i = 2; i <= n; i++) {
            if (t[i] ~ /^-[a-z][A-Za-z0-9-]*,?$/) {
                sub(/,$/, "", t[i])
                print section "\t" t[i]
            }
        }
    }
    { tp = /^\.TP/ }' "$1"
}

# Every command's -h, and the options each section must document, as
# "SECTION<tab>-name<tab>command" lines.
echo "$SECTIONS" | while IFS='|' read -r cmd section; do
    # shellcheck disable=SC2086 # "eval analogy" is a command and its subcommand
    $W2V $cmd -h > "$T/help" 2> /dev/null || echo "$cmd -h failed" >> "$T/help.err"
    help_options < "$T/help" | sort -u > "$T/opts"
    echo "$cmd $(wc -l < "$T/opts")" >> "$T/counts"
    sed "s/^/$section$TAB/; s/\$/$TAB$cmd/" "$T/opts"
done > "$T/expected"
check "every command prints its -h (failed: $(cat "$T/help.err" 2>/dev/null))" \
    test ! -e "$T/help.err"
few=$(awk '$NF < 4' "$T/counts" | tr '\n' ' ')
check "every -h lists at least 4 options (fewer: $few)" test -z "$few"
check "train -h lists at least 30 options" \
    test "$(awk '$1 == "train" { print $2 }' "$T/counts")" -ge 30
check "-h options include both spellings of -size N, -dim N" \
    sh -c "grep -q '^TRAIN OPTIONS$TAB-dim$TAB' '$T/expected' &&
           grep -q '^TRAIN OPTIONS$TAB-size$TAB' '$T/expected'"
# Other programs' names, camelCase ones too, are options of the line they share.
check "-h options include fastText's -minCount, -lr and -verbose" \
    sh -c "grep -q '^TRAIN OPTIONS$TAB-minCount$TAB' '$T/expected' &&
           grep -q '^TRAIN OPTIONS$TAB-lr$TAB' '$T/expected' &&
           grep -q '^TRAIN OPTIONS$TAB-verbose$TAB' '$T/expected'"

# Every command that 'w2v -h' lists has a section above.
$W2V -h | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' \
    > "$T/commands"
unmapped=""
while read -r cmd; do
    echo "$SECTIONS" | grep -q "^$cmd|" || unmapped="$unmapped $cmd"
done < "$T/commands"
check "w2v -h lists at least 9 commands" test "$(wc -l < "$T/commands")" -ge 9
check "every command has a man page section here (none:$unmapped)" test -z "$unmapped"

# man_report FILE: one line per problem of the man page FILE against the -h texts: an option
# without an entry, with two or more, documented where no -h lists it, or an entry outside
# the sections above.
man_report() {
    man_entries "$1" > "$T/entries"
    echo "$SECTIONS" | cut -d'|' -f2 | sort -u > "$T/sections"
    awk -F'\t' '
    FILENAME == ARGV[1] { known[$1] = 1; next }
    FILENAME == ARGV[2] {
        key = $1 "\t" $2
        if (!(key in want)) order[++n] = key
        want[key] = want[key] (want[key] == "" ? "" : ", ") $3
        next
    }
    {
        if (!($1 in known)) {
            printf "entry for %s outside an options section (in %s)\n", $2, $1
            next
        }
        seen[$1 "\t" $2]++
        if (!(($1 "\t" $2) in want) && !(($1 "\t" $2) in told)) {
            told[$1 "\t" $2] = 1
            printf "%s: %s is documented but no -h of the section lists it\n", $1, $2
        }
    }
    END {
        for (i = 1; i <= n; i++) {
            split(order[i], f, "\t")
            if (!(order[i] in seen)) {
                printf "%s: no entry for %s (of %s)\n", f[1], f[2], want[order[i]]
            } else if (seen[order[i]] > 1) {
                printf "%s: %d entries for %s\n", f[1], seen[order[i]], f[2]
            }
        }
    }' "$T/sections" "$T/expected" "$T/entries"
}

man_report "$MAN" > "$T/report"
sed 's/^/docs.sh: man page: /' "$T/report" >&2
check "the man page has one entry for every option of every -h, and no other (problems: \
$(wc -l < "$T/report"))" test ! -s "$T/report"
entries=$(wc -l < "$T/entries")
check "the man page has at least 60 option entries (found $entries)" test "$entries" -ge 60

# The report itself: an entry that loses its .TP, one written twice, one that no -h
# lists and one outside the option sections are each reported.
awk '
{ lines[NR] = $0 }
END {
    for (i = 1; i <= NR; i++) {
        if (lines[i + 1] ~ /^\.BI \\-seed / && lines[i] == ".TP") continue
        print lines[i]
        if (lines[i] ~ /^\.BI \\-limit / && !dup++) print ".TP\n.BI \\-limit \" N\"\nAgain."
        if (lines[i] ~ /^\.SH PLOTS/) print ".TP\n.B \\-frobnicate\nNot an option."
        if (lines[i] ~ /^\.SH FILES/) print ".TP\n.BI \\-window \" N\"\nMisplaced."
    }
}' "$MAN" > "$T/broken.1"
man_report "$T/broken.1" > "$T/broken.report"
check "a lost .TP is reported (-seed of train)" \
    grep -q "^TRAIN OPTIONS: no entry for -seed (of train)$" "$T/broken.report"
check "a second entry is reported (-limit)" grep -q ": 2 entries for -limit$" "$T/broken.report"
check "an entry that no -h lists is reported (-frobnicate)" \
    grep -q "^PLOTS: -frobnicate is documented but no -h" "$T/broken.report"
check "an entry outside the option sections is reported" \
    grep -q "^entry for -window outside an options section (in FILES)$" "$T/broken.report"

# The page formats cleanly: groff with all warnings prints nothing.
if command -v groff > /dev/null 2>&1; then
    groff -man -ww -z "$MAN" > "$T/groff" 2>&1
    check "groff -man -ww -z prints no warning: $(head -c 300 "$T/groff")" test ! -s "$T/groff"
else
    echo "docs.sh: skip: the man page's groff warnings (no groff)" >&2
fi
