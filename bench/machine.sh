# What run.sh and broker.sh both print about the machine, after their own first lines (sourced by both):
#   machine_runtime_and_disk <folder> <what the folder holds> <java label>
# The JDK (java -version of $JAVA), the load average, the folder's file system and what one synchronous 4 KiB
# write costs there: it bounds every persistent send and every JMS commit.
machine_runtime_and_disk() {
  local dir=$1 what=$2 java_label=$3 secs
  echo "- \`java -version\`$java_label:"
  echo '```'
  "$JAVA" -version 2>&1
  echo '```'
  echo "- Load average before the run: $(cut -d' ' -f1-3 /proc/loadavg); $what on $(df -PT "$dir" | awk 'NR==2 {print $2 " (" $1 ")"}')"
  secs=$(LC_ALL=C dd if=/dev/zero of="$dir/dsync.test" bs=4k count=200 oflag=dsync 2>&1 | awk '/copied/ {print $(NF-3)}')
  rm -f "$dir/dsync.test"
  [ -n "$secs" ] && awk -v s="$secs" -v what="$what" 'BEGIN {printf "- Disk of the %s: 200 synchronous 4 KiB writes (`dd oflag=dsync`) in %.2f s, %.2f ms each (≈ %d fsyncs/s)\n", what, s, s * 5, 200 / s}'
  return 0
}
