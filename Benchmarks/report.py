#!/usr/bin/env python3
"""Turns the benchmarks' printed figures into the README's table and Benchmarks/ratios.svg.

Benchmarks/run-all runs the database, HTTP and jobs benchmarks, keeps what each printed in a directory
(database.txt, api.txt, jobs.txt) and calls this script on it. The figures are read from the lines the
benchmark scripts print (their formats are set in those scripts: keep the two in step; `--self-test`
parses a sample of each). Every comparison becomes one row: Tern's figure, the peer's, and how many
times better Tern is (rates: Tern / peer; memory: peer / Tern), so that every bar of the chart reads
the same way: longer is better for Tern, 1× is a tie.

Usage: Benchmarks/report.py RESULTS_DIR [README] [SVG]
       (BENCHMARK_NOTE, when set, is added to the line that says when and where it was measured)
       Benchmarks/report.py --self-test
"""

import datetime
import html
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass

BEGIN, END = '<!-- benchmarks:begin -->', '<!-- benchmarks:end -->'


@dataclass
class Row:
    group: str
    case: str
    tern: float
    peer: float
    peer_name: str
    unit: str
    higher_is_better: bool = True
    note: str = ''

    @property
    def advantage(self):
        """How many times better Tern is: above 1 means Tern is ahead."""
        if self.tern <= 0 or self.peer <= 0:
            return 0.0
        return self.tern / self.peer if self.higher_is_better else self.peer / self.tern


API_LINE = re.compile(
    r'^(?P<case>\S+)\s+c=(?P<conns>\d+)\s+(?P<left>\S+)\s+(?P<left_rps>[\d.]+) req/s p99\s+(?P<left_p99>[\d.]+) ms'
    r' \| (?P<right>\S+)\s+(?P<right_rps>[\d.]+) req/s p99\s+(?P<right_p99>[\d.]+) ms \| ratio\s+[\d.]+(?P<rest>.*)$')
LOGIN_MEMORY_LINE = re.compile(r'^login c=64\s+(?P<side>\w+): (?P<answers>.*), RSS .* (?P<peak>\d+) MiB peak')
DATABASE_LINE = re.compile(
    r'^postgres\s+(?P<operation>\S+)\s+c=(?P<conns>\d+)\s+tern\s+(?P<tern>[\d.]+)/s\s+postgres-nio\s+(?P<peer>[\d.]+)/s'
    r'(?:.*pgbench\s+(?P<pgbench>[\d.]+)/s)?(?:.*on I/O threads\s+(?P<io>[\d.]+)/s)?')

API_CASES = {
    'health': ('HTTP contract workload', 'health check'),
    'read-item': ('HTTP contract workload', 'read an item'),
    'list-items': ('HTTP contract workload', 'list 10 items'),
    'create-item': ('HTTP contract workload', 'create an item'),
    'login': ('Logins (Argon2id m=64 MiB t=3 p=4 on both sides)', 'login'),
    'no-database': ('HTTP without a database', 'health check vs bare Hummingbird'),
    'cached-read': ('Cached reads (Redis)', 'read an item, user and item cached'),
    'limiter': ('Rate limiter overhead', 'health check counted in Redis vs unlimited'),
}


def parse_api(text):
    rows = []
    memory, answers = {}, {}
    for line in text.splitlines():
        match = API_LINE.match(line.strip())
        if match and match['case'] in API_CASES and 'not comparable' not in match['rest']:
            group, case = API_CASES[match['case']]
            peer_name = match['right']
            if match['case'] == 'limiter':
                peer_name = 'same, unlimited'
            rows.append(Row(group, f"{case} (c={match['conns']})", float(match['left_rps']),
                            float(match['right_rps']), peer_name, 'req/s',
                            note=f"p99 {float(match['left_p99']):.1f} ms vs {float(match['right_p99']):.1f} ms"))
        match = LOGIN_MEMORY_LINE.match(line.strip())
        if match:
            memory[match['side']] = float(match['peak'])
            answers[match['side']] = match['answers']
    if 'tern' in memory and 'fastapi' in memory:
        rows.append(Row('Memory under load', 'peak RSS, 64 concurrent logins', memory['tern'], memory['fastapi'],
                        'fastapi', 'MiB', higher_is_better=False,
                        note=f"tern {answers['tern']}; fastapi {answers['fastapi']}"))
    return rows


def parse_database(text):
    rows = []
    for line in text.splitlines():
        match = DATABASE_LINE.match(line.strip())
        if match:
            rows.append(Row('Database pool (PostgreSQL)', f"{match['operation']} (c={match['conns']})",
                            float(match['tern']), float(match['peer']), 'postgres-nio', 'queries/s'))
            if match['pgbench']:
                rows.append(Row('Database pool (PostgreSQL)', f"{match['operation']} (c={match['conns']}), the C ceiling",
                                float(match['tern']), float(match['pgbench']), 'pgbench -M prepared', 'queries/s'))
            if match['pgbench'] and match['io']:
                rows.append(Row('Database pool (PostgreSQL)',
                                f"{match['operation']} (c={match['conns']}), clients on the I/O threads, the C ceiling",
                                float(match['io']), float(match['pgbench']), 'pgbench -M prepared', 'queries/s'))
    return rows


def parse_jobs(text):
    """Reads run-jobs-benchmark's summary table: a header of names, then one row per figure."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith('figure '))
    except StopIteration:
        return []
    names = lines[start].split()[1:-3]  # between "figure" and "best peer tern-redis/peer"
    rows = []
    labels = {'drain_jobs_per_s': 'drain a queue of no-op jobs',
              'concurrent_jobs_per_s': 'enqueue while workers run'}
    for line in lines[start + 2:]:
        fields = line.split()
        if not fields or fields[0] not in labels:
            continue
        values = dict(zip(names, fields[1:1 + len(names)]))
        peer_value, peer_name = fields[-3], fields[-2]
        tern = values.get('tern-redis', '-')
        if tern == '-' or peer_value == '-':
            continue
        rows.append(Row('Jobs (Redis)', labels[fields[0]], float(tern.replace(',', '')),
                        float(peer_value.replace(',', '')), f'best of Python queues: {peer_name}', 'jobs/s'))
    return rows


def read(directory, name):
    path = os.path.join(directory, name)
    return open(path).read() if os.path.exists(path) else ''


def figure(value):
    return f'{value:,.0f}' if value >= 100 else f'{value:,.1f}'


def table(rows, stamp):
    lines = [f'Measured {stamp}. Written by `Benchmarks/run-all`; the chart: '
             '[Benchmarks/ratios.svg](Benchmarks/ratios.svg).', '',
             '| Comparison | Case | Tern | Peer | Tern is |', '|---|---|---:|---:|---:|']
    for row in rows:
        note = f' ({row.note})' if row.note else ''
        lines.append(f'| {row.group} | {row.case}{note} | {figure(row.tern)} {row.unit} | '
                     f'{figure(row.peer)} {row.unit} ({row.peer_name}) | {row.advantage:.2f}× |')
    lines.append('')
    lines.append('"Tern is" reads n× better: for rates Tern / peer, for memory peer / Tern.')
    return '\n'.join(lines)


def svg(rows, stamp):
    """A horizontal bar per comparison on a logarithmic axis, with 1× (a tie) marked."""
    label_width, chart_width, bar_height, gap, top = 420, 360, 18, 6, 48
    lowest, highest = 0.5, max([row.advantage * 1.25 for row in rows] + [2.0])
    span = math.log10(highest) - math.log10(lowest)

    def x(value):
        return label_width + chart_width * (math.log10(min(max(value, lowest), highest)) - math.log10(lowest)) / span

    height = top + len(rows) * (bar_height + gap) + 30
    width = label_width + chart_width + 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="10" y="20" font-size="14" font-weight="bold">Tern against its peers: times better '
             f'(log scale; 1× is a tie)</text>',
             f'<text x="10" y="36" fill="#555">{html.escape(stamp)}</text>']
    for tick in (0.5, 1, 2, 5, 10, 20, 50, 100, 200):
        if tick > highest:
            break
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{height - 24}" '
                     f'stroke="{"#333" if tick == 1 else "#ddd"}"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 10}" text-anchor="middle" fill="#555">{tick:g}×</text>')
    for index, row in enumerate(rows):
        y = top + index * (bar_height + gap)
        label = html.escape(f'{row.group}: {row.case}')
        parts.append(f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end">{label}</text>')
        start, end = sorted((x(1), x(row.advantage)))
        colour = '#2a7ab8' if row.advantage >= 1 else '#c0504d'
        parts.append(f'<rect x="{start:.1f}" y="{y}" width="{max(end - start, 1):.1f}" height="{bar_height}" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{max(end, x(1)) + 4:.1f}" y="{y + 13}">{row.advantage:.2f}×</text>')
    parts.append('</svg>')
    return '\n'.join(parts) + '\n'


def replace_between_markers(readme_path, content):
    text = open(readme_path).read()
    if BEGIN not in text or END not in text:
        sys.exit(f'{readme_path} has no {BEGIN} ... {END} markers')
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    open(readme_path, 'w').write(f'{head}{BEGIN}\n{content}\n{END}{tail}')


def describe_run():
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip() or 'unknown'
    note = os.environ.get('BENCHMARK_NOTE', '').strip()
    return f'{datetime.date.today().isoformat()}, commit {commit}, {os.cpu_count()} cores, all on loopback' \
        + (f' ({note})' if note else '')


SAMPLES = {
    'api.txt': """
health       c=64  tern       50000.0 req/s p99     3.50 ms | fastapi      4000.0 req/s p99    40.00 ms | ratio  12.50 (rounds 12.10-12.90)
login        c=8   tern          20.0 req/s p99   800.00 ms | fastapi        10.0 req/s p99  1600.00 ms | ratio   2.00
limiter      c=64  limited    30000.0 req/s p99     4.00 ms | unlimited   40000.0 req/s p99     3.00 ms | ratio   0.75
read-item    c=64  tern       10.0 req/s p99     3.50 ms | fastapi      4000.0 req/s p99    40.00 ms | ratio  0.00  (not comparable: failed requests, tern 3, fastapi 0)
login c=64   tern: 30.0 req/s p99 900 ms (0 failed), RSS 40 MiB before, 300 MiB peak
login c=64   fastapi: 10.0 req/s p99 2000 ms, RSS 200 MiB before, 900 MiB peak (master and workers)
""",
    'database.txt': """
postgres  point-select c=16  tern     40000/s  postgres-nio     20000/s  ratio 2.00  pgbench    50000/s  tern/pgbench 0.80  on I/O threads     45000/s  ratio to pgbench 0.90
sqlite    point-select c=1   tern     90000/s  (no peer: PostgresNIO has no SQLite)
""",
    'jobs.txt': """
figure                     tern-redis  tern-postgres    tern-sqlite            arq             rq         celery             best peer  tern-redis/peer
-------------------------------------------------------------------------------------------------------------------------------------------
drain_jobs_per_s               30,000          8,000          9,000          2,000          1,000          1,500             2,000 arq            15.0x
latency_p99_ms                   1.20           9.00           8.00           3.00           5.00           4.00              3.00 arq             0.4x
""",
}


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as directory:
        for name, text in SAMPLES.items():
            open(os.path.join(directory, name), 'w').write(text)
        rows = collect(directory)
    found = {(row.group, row.case): row.advantage for row in rows}
    expected = {
        ('HTTP contract workload', 'health check (c=64)'): 12.5,
        ('Logins (Argon2id m=64 MiB t=3 p=4 on both sides)', 'login (c=8)'): 2.0,
        ('Rate limiter overhead', 'health check counted in Redis vs unlimited (c=64)'): 0.75,
        ('Memory under load', 'peak RSS, 64 concurrent logins'): 3.0,
        ('Database pool (PostgreSQL)', 'point-select (c=16)'): 2.0,
        ('Database pool (PostgreSQL)', 'point-select (c=16), the C ceiling'): 0.8,
        ('Database pool (PostgreSQL)', 'point-select (c=16), clients on the I/O threads, the C ceiling'): 0.9,
        ('Jobs (Redis)', 'drain a queue of no-op jobs'): 15.0,
    }
    failures = [f'{key}: expected {value}, got {found.get(key)}' for key, value in expected.items()
                if found.get(key) is None or abs(found[key] - value) > 1e-9]
    if len(found) != len(expected):
        failures.append(f'expected {len(expected)} rows (a failed run is left out), got {len(found)}: {sorted(found)}')
    chart = svg(rows, 'self-test')
    if chart.count('<rect ') != len(rows) + 1:
        failures.append('the chart does not draw one bar per row')
    for failure in failures:
        print(f'report.py self-test: {failure}', file=sys.stderr)
    print('report.py self-test: ' + ('FAILED' if failures else f'{len(rows)} rows parsed and drawn'))
    return 1 if failures else 0


def collect(directory):
    return parse_api(read(directory, 'api.txt')) + parse_database(read(directory, 'database.txt')) \
        + parse_jobs(read(directory, 'jobs.txt'))


def main(arguments):
    if arguments[:1] == ['--self-test']:
        return self_test()
    if not arguments:
        print(__doc__, file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    directory = arguments[0]
    readme = arguments[1] if len(arguments) > 1 else os.path.join(here, '..', 'README.md')
    chart = arguments[2] if len(arguments) > 2 else os.path.join(here, 'ratios.svg')
    rows = collect(directory)
    if not rows:
        print(f'report.py: no figures found in {directory}', file=sys.stderr)
        return 1
    stamp = describe_run()
    replace_between_markers(readme, table(rows, stamp))
    open(chart, 'w').write(svg(rows, stamp))
    print(f'report.py: {len(rows)} comparisons written to {readme} and {chart}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
