#!/usr/bin/env bash
# Whole-process start of a thin solo-core client (issue 13): a bare JVM ("hello") against a process
# that does one delegation over the same-user socket, and one over TCP with the proof, each against a
# resident in another process. Prints hyperfine's medians (wall, user, system) and the classes each
# client loads. Needs hyperfine, and the core and bench modules built:
#
#   ./mvnw -q -pl bench -am package -DskipTests
#   bench/client-start.sh            # RUNS=30 PORT=23100 by default; PORT must be free
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-30}
port=${PORT:-23100}
work=$(mktemp -d /tmp/solo-client-start.XXXXXX)
jar="$work/oneshot.jar"
flags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto"
jar cf "$jar" -C core/target/classes . -C bench/target/classes dev/solo/bench/start

coproc RESIDENT { exec java -cp "$jar" dev.solo.bench.start.StartResident "$work/home" "$port" 2>&1; }
resident_pid=$RESIDENT_PID
read -r ready <&"${RESIDENT[0]}"
case "$ready" in READY*) echo "resident: $ready" ;; *) echo "the resident did not start: $ready" >&2; exit 1 ;; esac
trap 'eval "exec ${RESIDENT[1]}>&-"; wait "$resident_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/start.json" \
  -n hello "java $flags -cp $jar dev.solo.bench.start.Hello" \
  -n socket "java $flags -cp $jar dev.solo.bench.start.OneShot $work/home $port socket" \
  -n tcp "java $flags -cp $jar dev.solo.bench.start.OneShot $work/home $port tcp" >/dev/null
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# hyperfine's JSON, one result per command: print name and medians without a JSON tool.
tr -d ' \n' <"$work/start.json" | sed 's/},{"command"/}\n{"command"/g' | while read -r result; do
  name=$(sed -n 's/.*"command":"\([^"]*\)".*/\1/p' <<<"$result")
  median=$(sed -n 's/.*"median":\([0-9.e-]*\).*/\1/p' <<<"$result")
  user=$(sed -n 's/.*"user":\([0-9.e-]*\).*/\1/p' <<<"$result")
  system=$(sed -n 's/.*"system":\([0-9.e-]*\).*/\1/p' <<<"$result")
  awk -v n="$name" -v m="$median" -v u="$user" -v s="$system" \
    'BEGIN { printf "%-7s median %6.1f ms wall   mean %6.1f ms user, %6.1f ms system\n", n, m*1000, u*1000, s*1000 }'
done

for mode in socket tcp; do
  java $flags -Xlog:class+load:file="$work/classes-$mode.txt" -cp "$jar" \
    dev.solo.bench.start.OneShot "$work/home" "$port" "$mode" >/dev/null
  echo "$mode: $(wc -l <"$work/classes-$mode.txt") classes loaded, $(grep -c 'shared objects file' "$work/classes-$mode.txt") of them from the CDS archive"
done
java $flags -Xlog:class+load:file="$work/classes-hello.txt" -cp "$jar" dev.solo.bench.start.Hello >/dev/null
echo "hello: $(wc -l <"$work/classes-hello.txt") classes loaded"
