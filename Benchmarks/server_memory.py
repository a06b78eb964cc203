"""The resident memory of a server process, read from /proc: now, and at its peak while something runs."""
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class PeakMemory:
    """Samples `pid`'s resident memory every 5 ms inside a `with` block; `peak_mib` is the highest seen."""

    def __init__(self, pid):
        self.pid = pid
        self.peak_kib = rss_kib(pid)
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample)

    def _sample(self):
        while not self._done.is_set():
            self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
            time.sleep(0.005)

    def __enter__(self):
        self._sampler.start()
        return self

    def __exit__(self, *exception):
        self._done.set()
        self._sampler.join()

    @property
    def peak_mib(self):
        return self.peak_kib / 1024
