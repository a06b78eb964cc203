"""Checks Swagger UI at /docs in a real browser: headless Chromium (Debian's), driven by Playwright.

A user signs in through the docs page's Authorize dialog (the OAuth2 password flow), then uploads a
file to one of their items from the page ("Try it out" on POST .../attachments, a file chosen in the
form, Execute), and the file is then downloaded through the API, byte for byte.

The page's scripts are the CDN's by default; the browser is served copies from the
drf-spectacular-sidecar package instead (Swagger UI 5, which reads OpenAPI 3.1), so the check needs
no internet access.

Usage: check_swagger_ui.py ROOT_URL EMAIL PASSWORD   (ROOT_URL: http://127.0.0.1:PORT)
"""

import importlib.util
import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

# Found, not imported: the package's own code needs Django, its files do not.
SIDECAR = Path(importlib.util.find_spec("drf_spectacular_sidecar").submodule_search_locations[0])
SWAGGER_UI = SIDECAR / "static/drf_spectacular_sidecar/swagger-ui-dist"


def api(method, url, token, body=None):
    request = urllib.request.Request(url, method=method, data=body, headers={"Authorization": f"Bearer {token}"})
    if body is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as response:
        return response.read()


def serve_cdn_copies(page):
    """Answers the page's requests for Swagger UI's files from the local copies."""
    def fulfill(route):
        name = route.request.url.rsplit("/", 1)[-1]
        route.fulfill(path=SWAGGER_UI / name) if (SWAGGER_UI / name).is_file() else route.fulfill(status=404)
    page.route("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/*", fulfill)
    page.route("https://fastapi.tiangolo.com/**", lambda route: route.fulfill(status=204))


def sign_in(page, email, password):
    page.locator("button.authorize").first.click()
    dialog = page.locator(".dialog-ux")
    oauth = dialog.locator(".auth-container").filter(has_text="OAuth2PasswordBearer")
    oauth.locator("#oauth_username").fill(email)
    oauth.locator("#oauth_password").fill(password)
    oauth.locator("button.authorize").click()
    expect(oauth.locator("button", has_text="Logout")).to_be_visible()
    dialog.locator("button.btn-done").first.click()


def upload(page, item_id, path):
    operation = page.locator("#operations-items-items-create_attachment")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator('input[placeholder="id"]').fill(item_id)
    operation.locator('input[type="file"]').set_input_files(str(path))
    operation.locator("button.execute").click()
    answer = operation.locator(".live-responses-table tr.response")
    expect(answer.locator(".response-col_status")).to_have_text("201", timeout=15_000)
    return json.loads(answer.locator(".response-col_description pre.microlight").first.inner_text())


def main(root, email, password):
    token = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{root}/api/v1/login/access-token", data=f"username={email}&password={password}".encode()), timeout=30).read())["access_token"]
    item = json.loads(api("POST", f"{root}/api/v1/items/", token, json.dumps({"title": "Swagger UI upload"}).encode()))
    content = os.urandom(200_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.bin"
        path.write_bytes(content)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
            page = browser.new_page()
            serve_cdn_copies(page)
            page.goto(f"{root}/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tern")
            sign_in(page, email, password)
            attachment = upload(page, item["id"], path)
            browser.close()
    assert attachment["filename"] == "photo.bin" and attachment["size"] == len(content), attachment
    downloaded = api("GET", f"{root}/api/v1/items/{item['id']}/attachments/{attachment['id']}", token)
    assert downloaded == content, "the downloaded file differs from the one uploaded"
    print(f"  signed in through the Authorize dialog; uploaded {len(content)} bytes from the page; downloaded them back")


if __name__ == "__main__":
    main(*sys.argv[1:4])
