// The reference implementation of Argon2 (libargon2), reached from Swift through this system-library target.
#include <argon2.h>

