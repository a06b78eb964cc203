// The PostgreSQL client library (libpq), reached from Swift through this system-library target.
#include <libpq-fe.h>
