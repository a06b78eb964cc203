// The SQLite library (libsqlite3), reached from Swift through this system-library target.
#include <sqlite3.h>
