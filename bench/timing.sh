# Timing helpers shared by the bench scripts (sourced; `once` writes its scratch file in $OUT).
# A run is recorded as a line "wall_seconds rss_kib".
once() {      # one run of a command: prints "wall rss_kib"
    /usr/bin/time -f "%e %M" -o "$OUT/t" "$@" >/dev/null 2>&1
    cat "$OUT/t"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }                      # of a column of numbers
maxcol() { awk '{if ($2>r) r=$2} END {print r}'; }                                          # largest RSS of run lines
summary() { sort -n | awk '{w[NR]=$1; if ($2>r) r=$2} END {print w[int((NR+1)/2)], r}'; }  # run lines: "median_wall max_rss"
ratios() { paste -d' ' "$1" "$2" | awk '{printf "%.3f\n", $1/$3}' | median; }              # median of per-round wall ratios, file 1 over file 2
