# Interpretation: arithmetic, function calls, parameter expansions and case; no external
# command. Prints one checksum line.
fib() {
    local n=$1
    if [ "$n" -lt 2 ]; then
        r=$n
        return
    fi
    fib $((n - 1)); local a=$r
    fib $((n - 2)); r=$((a + r))
}
kind() {
    case $1 in
        *.tar.gz|*.tgz) k=tarball ;;
        *.c|*.h) k=source ;;
        [0-9]*) k=number ;;
        *) k=other ;;
    esac
}
sum=0
i=0
while [ $i -lt 20000 ]; do
    p=/usr/src/pkg-$i/file$((i % 7)).tar.gz
    base=${p##*/}
    dir=${p%/*}
    stem=${base%%.*}
    kind "$base"
    sum=$(( (sum + ${#dir} + ${#stem} * 3 + i % 13) % 1000003 ))
    i=$((i + 1))
done
fib 16
echo "$sum $r $k"
