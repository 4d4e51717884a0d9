#!/usr/bin/env python3
"""Summarises compare.sh's raw lines (side, rep, case, median, min, samples) into the Markdown table
of benchmarks/results/<date>.md: per case the median over repetitions of each side's per-run median,
the ratio numpy/java of those medians, the median of the per-repetition ratios, and the best (min)."""
import collections
import datetime
import platform
import statistics
import subprocess
import sys

raw, reps, java_cmd, py_cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
med = collections.defaultdict(dict)
best = collections.defaultdict(dict)
headers = set()
for line in open(raw):
    parts = line.rstrip('\n').split('\t')
    side, rep = parts[0], parts[1]
    if parts[2].startswith('#'):
        headers.add(side + ': ' + parts[2][1:].strip())
        continue
    case, m, b = parts[2], parts[3], parts[4]
    if m == 'NA':
        continue
    med[(side, case)][rep] = float(m)
    best[(side, case)][rep] = float(b)

cases = sorted({c for (_, c) in med}, key=lambda c: [c.startswith(p) for p in ('dgemm', 'ref', 'pop', 'sgd', 'sample')])


def fmt(t):
    return 'n/a' if t is None else ('%.1f us' % (t * 1e6) if t < 1e-3 else '%.3f ms' % (t * 1e3) if t < 1 else '%.2f s' % t)


rows = []
summary = {}
for c in cases:
    j = med.get(('java', c), {})
    n = med.get(('numpy', c), {})
    jm = statistics.median(j.values()) if j else None
    nm = statistics.median(n.values()) if n else None
    per = [n[r] / j[r] for r in j if r in n]
    jb = min(best[('java', c)].values()) if j else None
    nb = min(best[('numpy', c)].values()) if n else None
    summary[c] = (jm, nm)
    rows.append('| %s | %s | %s | %s | %s | %s / %s | %s |' % (
        c, fmt(jm), fmt(nm), '%.2f' % (nm / jm) if jm and nm else 'n/a',
        '%.2f' % statistics.median(per) if per else 'n/a', fmt(jb), fmt(nb),
        '%.2f' % (nb / jb) if jb and nb else 'n/a'))

now = datetime.datetime.now(datetime.timezone.utc)
out = ['# Benchmark results %s' % now.strftime('%Y-%m-%d %H:%M UTC'), '',
       'Machine: %s, %s cores, load average at the end %s. CPU time of the measuring thread, single-threaded.' % (
           platform.processor() or platform.machine(), subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip(),
           open('/proc/loadavg').read().split()[:3]), '']
out += ['- ' + h for h in sorted(headers)] + ['']
out += ['Commands (one invocation: `benchmarks/compare.sh %s`, which alternates per case and repetition):' % reps, '',
        '    ' + java_cmd, '    ' + py_cmd, '',
        '| case | java median | numpy median | ratio numpy/java (medians) | median of per-rep ratios | best java / numpy | ratio of bests |',
        '|---|---|---|---|---|---|---|'] + rows + ['']


def rate(t, flops):
    return flops / t / 1e9 if t else None


d, b = 256, 256
targets = []
jm, nm = summary.get('sgd_B256_double', (None, None))
g256 = summary.get('dgemm_256', (None, None))[1]
g1024 = summary.get('dgemm_1024', (None, None))[1]
if jm:
    eff = rate(jm, 6 * b * d * d)
    peak = max(x for x in [rate(g256, 2 * 256 ** 3), rate(g1024, 2 * 1024 ** 3)] if x)
    targets.append('- minibatch double d=256 B=256: %.2fx numpy (target >= 1.5); effective %.1f GFLOP/s (6Bd^2/step) = %.2f of '
                   'OpenBLAS single-thread dgemm %.1f GFLOP/s (256^3: %.1f, 1024^3: %.1f) (target >= 0.5)' % (
                       nm / jm, eff, eff / peak, peak, rate(g256, 2 * 256 ** 3), rate(g1024, 2 * 1024 ** 3)))
jm1, nm1 = summary.get('sgd_B1_double', (None, None))
if jm1:
    targets.append('- online double d=256 B=1: %.2fx numpy (target >= 10)' % (nm1 / jm1))
jf, _ = summary.get('sgd_B256_float', (None, None))
if jf and jm:
    targets.append('- float minibatch vs double minibatch (Java): %.2fx (target >= 1.7)' % (jm / jf))
jp, np_ = summary.get('pop_d256_double', (None, None))
if jp:
    targets.append('- population loss+gradient double d=256: %.2fx numpy (target >= 2)' % (np_ / jp))
jr, nr = summary.get('ref50_d16', (None, None))
if nr:
    targets.append('- reference 50 digits d=16: %s (target >= 10x mpmath)' % (
        '%.2fx mpmath' % (nr / jr) if jr else 'Java side not available (PopulationReference not implemented on this branch)'))
js, ns = summary.get('sample_B256', (None, None))
if js and jm:
    targets.append('- sampling share of the B=256 double step: Java %.0f%%, numpy %.0f%%' % (100 * js / jm, 100 * ns / nm))
js1, ns1 = summary.get('sample_B1', (None, None))
if js1 and jm1:
    targets.append('- sampling share of the B=1 double step: Java %.0f%%, numpy %.0f%%' % (100 * js1 / jm1, 100 * ns1 / nm1))
out += ['Targets (medians):', ''] + targets + ['']
text = '\n'.join(out)
path = 'benchmarks/results/%s.md' % now.strftime('%Y-%m-%d')
with open(path, 'a') as f:
    f.write(text + '\n')
print(text)
print('(appended to %s)' % path, file=sys.stderr)
