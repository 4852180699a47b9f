#!/bin/bash
# Instructions per parse of each shared input (callgrind: exact and independent of the machine's
# load). Each count is (run of 11000 parses - run of 1000) / 10000, so start-up cost cancels out.
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
    a=$(count "$input" "$p" 1000)
    b=$(count "$input" "$p" 11000)
    echo "$input $p $(((b - a) / 10000))"
  done
done
