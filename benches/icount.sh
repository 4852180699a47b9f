#!/bin/bash
# Instructions per parse of each shared input (callgrind: exact and independent of the machine's
# load). Each count is (run of 2200 parses - run of 200) / 2000, so start-up cost cancels out.
# usage: icount.sh <iterate binary> [parsers...]   prints "input parser instructions" lines
set -euo pipefail
bin=$1
shift
parsers=${*:-h1x httparse}
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$3" 2>&1 |
    awk '/Collected/ {print $4}'
}
for input in kittyhell req_short resp_short interim chunk_size; do
  for p in $parsers; do
    a=$(count "$input" "$p" 200)
    b=$(count "$input" "$p" 2200)
    echo "$input $p $(((b - a) / 2000))"
  done
done
