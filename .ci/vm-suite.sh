#!/usr/bin/env bash
# .ci/vm-suite.sh - runs INSIDE the kernelvm guest (started by .ci/run, which
# copies it to $VMTEST_DIR): runs every test binary listed in
# $VMTEST_DIR/manifest (lines "importpath<TAB>package dir<TAB>binary") with
# cwd = the package's source directory, like `go test` does.
#
# Prints go-test-like "ok/FAIL <pkg> <secs>" lines, appends
# "start<TAB>pkg" before and "pass|FAIL<TAB>pkg<TAB>secs<TAB>exit" after each
# binary to $VMTEST_RESULTS (if set; a "start" without an end means the VM died
# or was killed there), and exits 1 if anything failed (never 124/125, which
# belong to kernelvm/run).
#
# Environment: VMTEST_DIR (required), VMTEST_RESULTS, VMTEST_TIMEOUT (default
# 20m, the -test.timeout of each binary), VMTEST_FLAGS (extra test flags).
set -uo pipefail
dir=${VMTEST_DIR:?VMTEST_DIR not set}
res=${VMTEST_RESULTS:-/dev/null}
read -r -a flags <<< "${VMTEST_FLAGS:-}"
fails=0

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$res"; }

echo "vm: kernel $(uname -r); $(ip -V)"
# The point of the VM is a kernel with every link kind; make sure we got one.
if out=$(unshare -n sh -c 'ip link add nlkitci0 type dummy && ip link del nlkitci0' 2>&1); then
  echo "vm: sanity ok (dummy link in a new netns)"
  record pass "[vm sanity]" 0 0
else
  echo "vm: SANITY FAILED: cannot add a dummy link in a new netns: $out"
  record FAIL "[vm sanity]" 0 1
  fails=$((fails + 1))
fi

while IFS=$'\t' read -r pkg pdir bin; do
  [ -n "$pkg" ] || continue
  record start "$pkg" - -
  t0=$EPOCHREALTIME
  ( cd "$pdir" && exec "$dir/$bin" -test.count=1 -test.timeout="${VMTEST_TIMEOUT:-20m}" ${flags[@]+"${flags[@]}"} ) </dev/null
  rc=$?
  secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
  if [ $rc = 0 ]; then
    printf 'ok  \t%s\t%ss\n' "$pkg" "$secs"
    record pass "$pkg" "$secs" 0
  else
    printf 'FAIL\t%s\t%ss (exit %s)\n' "$pkg" "$secs" "$rc"
    record FAIL "$pkg" "$secs" "$rc"
    fails=$((fails + 1))
  fi
done < "$dir/manifest"

[ $fails = 0 ] || { echo "vm: $fails failure(s) on $(uname -r)"; exit 1; }
echo "vm: all passed on $(uname -r)"
