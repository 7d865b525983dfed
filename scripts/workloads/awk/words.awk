{ for (i = 1; i <= NF; i++) c[$i]++ } END { for (w in c) n++; print n }
