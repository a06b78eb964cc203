// libcurl, reached from Swift through this system-library target; TernMail sends mail with its SMTP
// support. curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call, so each kind
// of argument the mailer passes gets a fixed-signature wrapper here.
#include <curl/curl.h>

// curl_global_init with the default flags: a macro of macros Swift does not import.
static inline CURLcode tern_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode tern_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

// For options curl copies (URLs, user names, passwords, MAIL FROM): the string may be freed after.
static inline CURLcode tern_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

// For options curl keeps and uses until the transfer ends (lists, buffers, callback data).
static inline CURLcode tern_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tern_curl_setopt_read_function(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode tern_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
