"""Records Fixtures/fastapi-responses.json from fastapi_app.py with the real FastAPI/pydantic stack.

Run from this folder with FastAPI, pydantic, email-validator, python-multipart and httpx installed
(Benchmarks/fastapi-peer/requirements.txt pins them): python3 record.py
"""
import base64
import json
from importlib.metadata import version

from fastapi.testclient import TestClient

from fastapi_app import app

client = TestClient(app, raise_server_exceptions=False)

results = []

JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def rec(name, method, path, headers=None, body=None, raw=None):
    """body: exact raw string sent (None = no body). raw: bytes (recorded as body_base64)."""
    headers = dict(headers or {})
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["content"] = body.encode("utf-8")
    if raw is not None:
        kwargs["content"] = raw
    r = client.request(method, path, **kwargs)
    try:
        resp = r.json()
    except Exception:
        resp = r.text
    results.append(
        {
            "name": name,
            "request": {"method": method, "path": path, "headers": headers, "body": body,
                        **({"body_base64": base64.b64encode(raw).decode()} if raw is not None else {})},
            "status": r.status_code,
            "response": resp,
            "response_raw": r.content.decode("utf-8"),
            "response_headers": dict(r.headers.items()),
        }
    )


def j(obj):
    return json.dumps(obj)


# ---------------- items ----------------
rec("items_valid", "POST", "/items", JSON, j({"title": "Foo", "description": "Bar"}))
rec("items_missing_title", "POST", "/items", JSON, j({"description": "Bar"}))
rec("items_title_empty", "POST", "/items", JSON, j({"title": ""}))
rec("items_title_256", "POST", "/items", JSON, j({"title": "a" * 256}))
rec("items_description_256", "POST", "/items", JSON, j({"title": "x", "description": "d" * 256}))
rec("items_title_number", "POST", "/items", JSON, j({"title": 5}))
rec("items_body_array", "POST", "/items", JSON, j([1]))
rec("items_body_json_string", "POST", "/items", JSON, j("x"))
rec("items_body_trailing_comma", "POST", "/items", JSON, '{"title": "x",}')
rec("items_body_open_brace", "POST", "/items", JSON, "{")
rec("items_body_empty_with_json_ct", "POST", "/items", JSON, "")
rec("items_no_body", "POST", "/items", {}, None)
rec("items_body_text_plain", "POST", "/items", {"content-type": "text/plain"}, j({"title": "x"}))
rec("items_body_no_content_type", "POST", "/items", {}, j({"title": "x"}))
rec("items_body_null", "POST", "/items", JSON, "null")
# extras
rec("items_body_json_ct_with_charset", "POST", "/items", {"content-type": "application/json; charset=utf-8"}, j({"title": "x"}))
rec("items_body_vnd_json_ct", "POST", "/items", {"content-type": "application/vnd.api+json"}, j({"title": "x"}))
rec("items_title_null", "POST", "/items", JSON, j({"title": None}))
rec("items_body_malformed_multiline", "POST", "/items", JSON, '{\n  "title": "x",\n  oops\n}')
rec("items_body_empty_object", "POST", "/items", JSON, "{}")
# more malformed-JSON variants (Python json module error messages; loc[1] = e.pos char offset)
rec("items_json_err_expecting_value_bare_word", "POST", "/items", JSON, "x")
rec("items_json_err_expecting_value_missing_value", "POST", "/items", JSON, '{"title": }')
rec("items_json_err_expecting_comma", "POST", "/items", JSON, '{"title": "x" "description": "y"}')
rec("items_json_err_expecting_colon", "POST", "/items", JSON, '{"title" "x"}')
rec("items_json_err_extra_data", "POST", "/items", JSON, '{"title": "x"} x')
rec("items_json_err_unterminated_string", "POST", "/items", JSON, '{"title": "x')
rec("items_json_err_invalid_control_char", "POST", "/items", JSON, '{"title": "a\nb"}')  # raw newline inside string
rec("items_json_err_invalid_escape", "POST", "/items", JSON, '{"title": "a\\qb"}')
rec("items_json_err_invalid_unicode_escape", "POST", "/items", JSON, '{"title": "a\\u12"}')
rec("items_json_err_whitespace_only", "POST", "/items", JSON, "   ")
rec("items_json_err_single_quotes", "POST", "/items", JSON, "{'title': 'x'}")
rec("items_json_err_unicode_before_error", "POST", "/items", JSON, '{"title": "\u00e9\u00e9\U0001F600", }')  # pos counts code points
rec("items_json_invalid_utf8", "POST", "/items", JSON, raw=b'{"title": "\xff"}')
rec("items_json_nan_literal", "POST", "/items", JSON, '{"title": NaN}')
rec("things_json_nan_ratio", "POST", "/things", JSON, '{"color":"red","code":"ABC","count":1,"ratio":NaN,"flag":true,"ref":"12345678-1234-1234-1234-1234567890ab","when":"2024-01-01"}')
rec("items_json_bom", "POST", "/items", JSON, raw=b'\xef\xbb\xbf{"title": "x"}')
rec("items_json_utf16", "POST", "/items", JSON, raw='{"title": "x"}'.encode("utf-16"))
rec("items_extra_field_ignored", "POST", "/items", JSON, j({"title": "x", "extra": 1}))

# ---------------- users ----------------
def user(**kw):
    base = {"email": "user@example.com", "password": "changethis"}
    base.update(kw)
    return j(base)


rec("users_valid", "POST", "/users", JSON, user())
rec("users_email_not_an_email", "POST", "/users", JSON, user(email="not-an-email"))
rec("users_email_a_at_b", "POST", "/users", JSON, user(email="a@b"))
rec("users_email_no_local", "POST", "/users", JSON, user(email="@example.com"))
rec("users_email_no_domain", "POST", "/users", JSON, user(email="a@"))
rec("users_email_space", "POST", "/users", JSON, user(email="a b@example.com"))
rec("users_email_double_dot_domain", "POST", "/users", JSON, user(email="user@example..com"))
long_email = "user@" + ".".join(["a" * 60] * 4) + ".com"
long_email = long_email + ""  # length printed below
assert len(long_email) < 300
# build a 300-char address: local 'user' + '@' + labels of <=63 chars + '.com'
labels = []
remaining = 300 - len("user@") - len(".com")
while remaining > 0:
    n = min(63, remaining - (1 if labels else 0))
    if labels:
        remaining -= 1
    labels.append("a" * n)
    remaining -= n
email300 = "user@" + ".".join(labels) + ".com"
assert len(email300) == 300, len(email300)
rec("users_email_300_chars", "POST", "/users", JSON, user(email=email300))
# extra: 256-char email (over Field max_length=255, under nothing else?)
labels = []
remaining = 256 - len("user@") - len(".com")
while remaining > 0:
    n = min(63, remaining - (1 if labels else 0))
    if labels:
        remaining -= 1
    labels.append("b" * n)
    remaining -= n
email256 = "user@" + ".".join(labels) + ".com"
assert len(email256) == 256, len(email256)
rec("users_email_256_chars", "POST", "/users", JSON, user(email=email256))
rec("users_email_256_no_at", "POST", "/users", JSON, user(email="x" * 256))
rec("users_email_uppercase_normalised", "POST", "/users", JSON, user(email="User@EXAMPLE.com"))
rec("users_email_number", "POST", "/users", JSON, user(email=5))
rec("users_password_short", "POST", "/users", JSON, user(password="short"))
rec("users_password_129", "POST", "/users", JSON, user(password="p" * 129))
rec("users_empty_object", "POST", "/users", JSON, j({}))
rec("users_is_active_yes", "POST", "/users", JSON, user(is_active="yes"))
rec("users_is_active_maybe", "POST", "/users", JSON, user(is_active="maybe"))
rec("users_is_active_2", "POST", "/users", JSON, user(is_active=2))
rec("users_full_name_null", "POST", "/users", JSON, user(full_name=None))
rec("users_full_name_256", "POST", "/users", JSON, user(full_name="f" * 256))

# ---------------- query ----------------
rec("query_items_no_params", "GET", "/items")
rec("query_skip_abc", "GET", "/items?skip=abc")
rec("query_skip_1_5", "GET", "/items?skip=1.5")
rec("query_limit_1001", "GET", "/items?limit=1001")
rec("query_limit_minus_1", "GET", "/items?limit=-1")
rec("query_skip_empty", "GET", "/items?skip=")
rec("query_skip_abc_limit_xyz", "GET", "/items?skip=abc&limit=xyz")
rec("query_skip_repeated", "GET", "/items?skip=1&skip=2")
rec("query_skip_1_0", "GET", "/items?skip=1.0")
rec("query_skip_whitespace", "GET", "/items?skip=%201%20")
rec("numbers_a_0", "GET", "/numbers?a=0")
rec("numbers_b_0_5", "GET", "/numbers?b=0.5")
rec("numbers_c_5", "GET", "/numbers?c=5")
rec("numbers_d_6", "GET", "/numbers?d=6")
rec("numbers_b_abc", "GET", "/numbers?b=abc")
rec("numbers_all_bad", "GET", "/numbers?a=0&b=0.5&c=5&d=6")
rec("numbers_b_inf", "GET", "/numbers?b=inf")
rec("numbers_b_nan", "GET", "/numbers?b=nan")

# ---------------- path uuid ----------------
rec("path_uuid_not_a_uuid", "GET", "/items/not-a-uuid")
rec("path_uuid_123", "GET", "/items/123")
rec("path_uuid_valid", "GET", "/items/12345678-1234-1234-1234-1234567890ab")
rec("path_uuid_31_hex", "GET", "/items/1234567812341234123412345678900")
rec("path_uuid_32_hex_no_dashes", "GET", "/items/12345678123412341234123456789012")
rec("path_uuid_z_chars", "GET", "/items/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")
rec("path_uuid_last_group_too_long", "GET", "/items/12345678-1234-1234-1234-1234567890abc")
rec("path_uuid_4_groups", "GET", "/items/12345678-1234-1234-12341234567890ab")
rec("path_uuid_uppercase", "GET", "/items/12345678-1234-1234-1234-1234567890AB")
rec("path_uuid_braces", "GET", "/items/%7B12345678-1234-1234-1234-1234567890ab%7D")
rec("path_uuid_urn", "GET", "/items/urn:uuid:12345678-1234-1234-1234-1234567890ab")

# ---------------- login (form) ----------------
rec("login_empty_form", "POST", "/login/access-token", FORM, "")
rec("login_no_body_no_ct", "POST", "/login/access-token", {}, None)
rec("login_only_username", "POST", "/login/access-token", FORM, "username=alice")
rec("login_grant_type_foo", "POST", "/login/access-token", FORM, "grant_type=foo&username=alice&password=secret")
rec("login_valid", "POST", "/login/access-token", FORM, "username=alice&password=secret")
rec("login_valid_full", "POST", "/login/access-token", FORM,
    "grant_type=password&username=alice&password=secret&scope=a%20b&client_id=cid&client_secret=cs")
rec("login_json_body", "POST", "/login/access-token", JSON, j({"username": "alice", "password": "secret"}))
rec("login_empty_username_value", "POST", "/login/access-token", FORM, "username=&password=secret")

# ---------------- things ----------------
def thing(**kw):
    base = {
        "color": "red",
        "tags": ["a"],
        "code": "ABC",
        "count": 1,
        "ratio": 1.5,
        "flag": True,
        "ref": "12345678-1234-1234-1234-1234567890ab",
        "when": "2024-01-01T00:00:00Z",
    }
    base.update(kw)
    return j(base)


rec("things_valid", "POST", "/things", JSON, thing())
rec("things_all_wrong", "POST", "/things", JSON, j({
    "color": "purple",
    "tags": ["a", "b", "c", "d"],
    "code": "abc",
    "count": "x",
    "ratio": "y",
    "flag": "z",
    "ref": "nope",
    "when": "yesterday",
}))
rec("things_count_1_5", "POST", "/things", JSON, thing(count=1.5))
rec("things_count_string_7", "POST", "/things", JSON, thing(count="7"))
rec("things_ratio_string_2_5", "POST", "/things", JSON, thing(ratio="2.5"))
rec("things_flag_string_true", "POST", "/things", JSON, thing(flag="true"))
rec("things_flag_1", "POST", "/things", JSON, thing(flag=1))
rec("things_when_valid_z", "POST", "/things", JSON, thing(when="2024-01-01T00:00:00Z"))
rec("things_tags_not_list", "POST", "/things", JSON, thing(tags="a"))
rec("things_color_5", "POST", "/things", JSON, thing(color=5))
rec("things_empty_object", "POST", "/things", JSON, j({}))
rec("things_tags_item_not_str", "POST", "/things", JSON, thing(tags=["a", 1]))
rec("things_count_1_0", "POST", "/things", JSON, thing(count=1.0))
rec("things_count_true", "POST", "/things", JSON, thing(count=True))
rec("things_count_huge", "POST", "/things", JSON, '{"color":"red","code":"ABC","count":1e400,"ratio":1,"flag":true,"ref":"12345678-1234-1234-1234-1234567890ab","when":"2024-01-01"}')
rec("things_when_date_only", "POST", "/things", JSON, thing(when="2024-01-01"))
rec("things_when_unix_int", "POST", "/things", JSON, thing(when=1700000000))
rec("things_when_bad_month", "POST", "/things", JSON, thing(when="2024-13-01T00:00:00"))
# Numbers as datetimes: seconds, milliseconds past 2e10, and out of range either way.
rec("things_when_unix_float", "POST", "/things", JSON, thing(when=1700000000.5))
rec("things_when_unix_ms", "POST", "/things", JSON, thing(when=1700000000123))
rec("things_when_unix_us", "POST", "/things", JSON, thing(when=1700000000123456))
rec("things_when_1e300", "POST", "/things", JSON, thing(when=1e300))
rec("things_when_minus_1e300", "POST", "/things", JSON, thing(when=-1e300))
rec("things_when_year_zero", "POST", "/things", JSON, thing(when=-62135596800001))
rec("things_when_infinity", "POST", "/things", JSON, thing(when=float("inf")))
rec("things_ref_int", "POST", "/things", JSON, thing(ref=5))

# ---------------- custom validators, URLs, item bounds ----------------
def signup(**kw):
    base = {"password": "abcdefg1", "password_confirm": "abcdefg1"}
    base.update(kw)
    return j(base)


rec("signup_valid", "POST", "/signup", JSON, signup(website="HTTPS://Example.COM:443/a/../b c?q=1 2#f", scores=[0, 10]))
rec("signup_field_validator", "POST", "/signup", JSON, signup(password="abcdefgh", password_confirm="abcdefgh"))
rec("signup_field_rule_before_validator", "POST", "/signup", JSON, signup(password="abc", password_confirm="abc"))
rec("signup_model_validator", "POST", "/signup", JSON, signup(password_confirm="zzzzzzzz"))
rec("signup_model_validator_skipped_when_fields_fail", "POST", "/signup", JSON, signup(password_confirm="zzz", scores=[11]))
rec("signup_item_bounds", "POST", "/signup", JSON, signup(scores=[1, 11, -1, "x"]))
rec("signup_url_relative", "POST", "/signup", JSON, signup(website="example.com"))
rec("signup_url_scheme", "POST", "/signup", JSON, signup(website="ftp://example.com"))
rec("signup_url_empty", "POST", "/signup", JSON, signup(website=""))
rec("signup_url_empty_host", "POST", "/signup", JSON, signup(website="https://"))
rec("signup_url_bad_port", "POST", "/signup", JSON, signup(website="http://example.com:99999"))
rec("signup_url_space_in_host", "POST", "/signup", JSON, signup(website="http://ex ample.com"))
rec("signup_url_number", "POST", "/signup", JSON, signup(website=5))
rec("signup_url_too_long", "POST", "/signup", JSON, signup(website="https://example.com/" + "a" * 2100))
rec("signup_url_idn", "POST", "/signup", JSON, signup(website="https://exämple.com/ü"))
rec("signup_url_userinfo_port", "POST", "/signup", JSON, signup(website="http://user:pw@Example.com:8080"))
rec("signup_url_backslashes", "POST", "/signup", JSON, signup(website="https:\\\\example.com\\a\\.\\b"))
rec("signup_url_ipv6", "POST", "/signup", JSON, signup(website="http://[::1]:80/"))
rec("signup_url_percent_host", "POST", "/signup", JSON, signup(website="https://ex%41mple.com"))

# ---------------- headers / cookies / security ----------------
rec("headers_missing_everything", "GET", "/headers")
rec("headers_missing_header_and_cookie_with_auth", "GET", "/headers", {"authorization": "Bearer tok"})
rec("headers_with_both_and_auth", "GET", "/headers",
    {"authorization": "Bearer tok", "x-token": "abc", "cookie": "session=s1"})
rec("headers_with_both_no_auth", "GET", "/headers", {"x-token": "abc", "cookie": "session=s1"})
rec("headers_auth_basic_scheme", "GET", "/headers", {"authorization": "Basic Zm9vOmJhcg==", "x-token": "abc", "cookie": "session=s1"})

# ---------------- defaults ----------------
rec("default_404", "GET", "/does-not-exist")
rec("default_405", "DELETE", "/items")
rec("default_500", "GET", "/boom")

with open("fastapi-responses.json", "w") as f:
    json.dump(results, f, indent=2, ensure_ascii=False)
    f.write("\n")

import sys

versions = {p: version(p) for p in ["fastapi", "pydantic", "pydantic-core", "email-validator", "starlette", "httpx", "python-multipart"]}
versions["python"] = sys.version.split()[0]
print(json.dumps(versions))
print(len(results), "fixtures")
