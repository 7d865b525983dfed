# Utility calls as configure scripts and entrypoints make them: 400 rounds of
# $(basename ...), $(dirname ...), test and echo (1,600 calls, 800 of them in $(...)).
# The last argument is the suite's own basename: its directory goes first in PATH, so each
# shell runs its own suite's utilities, as where that suite is installed as the system's.
for last; do :; done
PATH=${last%/*}:$PATH
n=0
i=0
while test $i -lt 400; do
    f=/usr/lib/pkg$i/lib$i.so
    b=$(basename "$f" .so)
    d=$(dirname "$f")
    if test -n "$b"; then
        echo "$d/$b" >/dev/null
    fi
    n=$((n + ${#b}))
    i=$((i + 1))
done
echo $n
