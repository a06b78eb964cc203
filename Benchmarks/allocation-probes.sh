# Sourced by Benchmarks/profile-api and Benchmarks/profile-database for PERF=allocations: uprobes on
# the calls that allocate and count references, and on the runtime's look-up of a generic type's
# metadata (what unspecialized generic code pays for each type it touches), so that a change's effect
# on them is counted exactly instead of guessed from a rate that this machine's noise moves by a tenth.
#
#   add_allocation_probes BINARY   # sets $allocation_events (for perf stat -e)
#   remove_allocation_probes
#   print_per_unit FILE UNITS NAME # perf stat -x, output in FILE, each count divided by UNITS
#
# BINARY's own copy of the Swift runtime is probed when it has no shared one (--static-swift-stdlib).

# The library `binary` loads whose name starts with `name`, or the binary itself if it loads none.
library_of() {
  local binary=$1 name=$2
  local path
  path=$(ldd "$binary" | awk -v name="$name" 'index($1, name) == 1 {print $3; exit}')
  echo "${path:-$binary}"
}

add_allocation_probes() {
  local binary=$1
  local libc swift_core
  libc=$(library_of "$binary" libc.so)
  swift_core=$(library_of "$binary" libswiftCore.so)
  remove_allocation_probes
  add_probe "$libc" malloc || return 1
  for function in swift_allocObject swift_retain swift_release swift_getGenericMetadata; do
    add_probe "$swift_core" "$function" || return 1
  done
  allocation_events=tern_alloc:malloc,tern_alloc:swift_allocObject,tern_alloc:swift_retain,tern_alloc:swift_release
  allocation_events+=,tern_alloc:swift_getGenericMetadata
}

# A probe named tern_alloc:FUNCTION on FUNCTION in LIBRARY; on failure, says so and removes the others.
add_probe() {
  local library=$1 function=$2
  perf probe -q -x "$library" -a "tern_alloc:$function=$function" && return 0
  echo "could not probe $function in $library" >&2
  remove_allocation_probes
  return 1
}

remove_allocation_probes() {
  perf probe -q -d 'tern_alloc:*' 2>/dev/null || true
}

print_per_unit() {
  local file=$1 units=$2 name=$3
  awk -F, -v units="$units" -v name="$name" '$1 ~ /^[0-9]+$/ {
      event = $3; sub("tern_alloc:", "", event)
      printf "  %-18s %8.2f per %s\n", event, $1 / units, name }' "$file"
}
