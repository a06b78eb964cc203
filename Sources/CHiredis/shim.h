// The Redis client library (hiredis), reached from Swift through this system-library target. Only its
// protocol reader is used: TernRedis does its own I/O on SwiftNIO channels.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
