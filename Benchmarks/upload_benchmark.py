"""Measures a large upload to a running `api` server (Benchmarks/run-upload-benchmark).

Writes a file of random bytes, creates an item, then uploads the file as its attachment, streaming
the multipart body from disk, while a thread samples the server's resident memory.
"""
import argparse
import hashlib
import http.client
import json
import os
import time
import urllib.parse
import urllib.request

from server_memory import PeakMemory, rss_kib

BOUNDARY = "tern-upload-benchmark-boundary"
PIECE = 1 << 20


def call(base, token, method, path, body=None):
    request = urllib.request.Request(f"{base}{path}", method=method, data=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def login(base):
    form = urllib.parse.urlencode({"username": "admin@example.com", "password": "upload-password"}).encode()
    with urllib.request.urlopen(f"{base}/login/access-token", data=form) as response:
        return json.load(response)["access_token"]


def random_file(path, size):
    """A file of `size` random bytes (the same piece repeated: random enough for a parser), and its SHA-256."""
    digest = hashlib.sha256()
    piece = os.urandom(PIECE)
    with open(path, "wb") as file:
        left = size
        while left > 0:
            chunk = piece[:min(PIECE, left)]
            file.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def upload(base, token, pid, item, path, size):
    """Uploads the file at `path`, streaming it, and samples the server's memory meanwhile."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{os.path.basename(path)}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    url = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    with PeakMemory(pid) as memory:
        start = time.perf_counter()
        connection.putrequest("POST", f"{url.path}/items/{item}/attachments/")
        connection.putheader("Authorization", f"Bearer {token}")
        connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        connection.putheader("Content-Length", str(len(head) + size + len(tail)))
        connection.endheaders()
        connection.send(head)
        with open(path, "rb") as file:
            while piece := file.read(PIECE):
                connection.send(piece)
        connection.send(tail)
        response = connection.getresponse()
        answer = json.loads(response.read())
        elapsed = time.perf_counter() - start
    assert response.status == 201, (response.status, answer)
    return answer, elapsed, memory.peak_mib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--work", required=True)
    parser.add_argument("--uploads", required=True)
    arguments = parser.parse_args()

    token = login(arguments.base)
    item = call(arguments.base, token, "POST", "/items/", json.dumps({"title": "Uploads"}).encode())["id"]
    big = arguments.size_mib << 20
    sizes = [big // 10, big]
    files = {}
    for size in sizes:
        path = os.path.join(arguments.work, f"upload-{size}.bin")
        files[size] = (path, random_file(path, size))
    warm = os.path.join(arguments.work, "warm.bin")
    random_file(warm, 4 << 20)
    upload(arguments.base, token, arguments.pid, item, warm, 4 << 20)  # warm up: code paths, the pool
    idle = rss_kib(arguments.pid) / 1024
    print(f"server RSS idle after a warm-up upload: {idle:.1f} MiB")
    print(f"{'upload':>10} {'time':>8} {'MiB/s':>8} {'peak RSS':>9} {'over idle':>9}  stored file")
    peaks = {}
    for size in sizes:
        path, digest = files[size]
        answer, elapsed, peak = upload(arguments.base, token, arguments.pid, item, path, size)
        with open(os.path.join(arguments.uploads, answer["id"]), "rb") as stored:
            stored_digest = hashlib.file_digest(stored, "sha256").hexdigest()
        same = "same bytes" if stored_digest == digest and answer["size"] == size else "DIFFERENT"
        peaks[size] = peak - idle
        print(f"{size >> 20:>6} MiB {elapsed:>7.1f}s {(size >> 20) / elapsed:>8.0f} {peak:>7.1f}MiB {peak - idle:>7.1f}MiB  {same}")
        os.remove(path)
    print(f"{sizes[1] >> 20} MiB peaks {peaks[sizes[1]]:.1f} MiB over idle against {peaks[sizes[0]]:.1f} MiB for "
          f"{sizes[0] >> 20} MiB (10x the bytes)")


if __name__ == "__main__":
    main()
