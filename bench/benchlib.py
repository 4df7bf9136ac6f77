"""Shared pieces of the peer benchmarks: interleaved A/B pairs, medians, and this plugin in a private local repository.

Run with Debian's /usr/bin/python3. Everything generated goes under target/.
"""
import os
import re
import shutil
import statistics
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
TARGET = os.path.join(ROOT, 'target')
M2 = os.path.expanduser('~/.m2/repository')


def load():
    return '%.2f %.2f %.2f' % os.getloadavg()


# Maven's log lines with a timestamp, for the time spent inside a goal (span)
STAMPS = ['-Dorg.slf4j.simpleLogger.showDateTime=true', '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS']
STAMP = re.compile(r'^(\d\d):(\d\d):(\d\d)\.(\d{3}) ')


def span(out, start, end):
    """Seconds from the first timestamped line matching start to the last matching end (Maven run with STAMPS)."""
    times = []
    for pattern, lines in ((start, out.splitlines()), (end, reversed(out.splitlines()))):
        for line in lines:
            m = STAMP.match(line)
            if m and re.search(pattern, line):
                h, mi, se, ms = (int(g) for g in m.groups())
                times.append(((h * 60 + mi) * 60 + se) + ms / 1000)
                break
        else:
            return float('nan')
    return (times[1] - times[0]) % 86400


def timed(cmd, cwd, env=None, check=True):
    """Seconds the whole command took; its output is kept for errors only."""
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    took = time.monotonic() - t0
    if check and p.returncode != 0:
        raise SystemExit('failed: %s\n%s' % (' '.join(cmd), p.stdout[-3000:]))
    return took, p.stdout


def plugin_repository():
    """This plugin installed into target/bench-repo (a file:// mirror of ~/.m2 fills it; ~/.m2 is never written).
    BENCH_REUSE_PLUGIN=1 keeps the plugin installed there by an earlier run (no rebuild)."""
    repo = os.path.join(TARGET, 'bench-repo')
    settings = os.path.join(TARGET, 'bench-settings.xml')
    if os.environ.get('BENCH_REUSE_PLUGIN') == '1' and os.path.exists(settings) and os.path.isdir(
            os.path.join(repo, 'dev/datahub/datahub-maven-plugin', plugin_version())):
        return repo, settings
    with open(settings, 'w') as f:
        f.write('<settings><mirrors><mirror><id>m2</id><mirrorOf>*</mirrorOf><url>file://%s</url></mirror></mirrors>'
                '</settings>\n' % M2)
    timed(['mvn', '-B', '-q', '-s', settings, '-Dmaven.repo.local=' + repo, 'install', '-DskipTests',
           '-Dinvoker.skip=true'], ROOT)
    return repo, settings


def plugin_version():
    with open(os.path.join(ROOT, 'pom.xml')) as f:
        pom = f.read()
    return re.search(r'<artifactId>datahub-maven-plugin</artifactId>\s*<version>([^<]+)</version>', pom).group(1)


def pairs(n, first, second, before_each=None):
    """n interleaved pairs (order alternating); returns the two lists of seconds."""
    a, b = [], []
    for i in range(n):
        order = [(first, a), (second, b)] if i % 2 == 0 else [(second, b), (first, a)]
        for run, into in order:
            if before_each:
                before_each()
            into.append(run())
    return a, b


def report(name, ours_label, ours, peer_label, peer):
    mo, mp = statistics.median(ours), statistics.median(peer)
    print('%-34s ours %.2f s (%s) | peer %.2f s (%s) | ratio %.2fx | load %s' % (
        name, mo, ours_label, mp, peer_label, mo / mp, load()))
    print('%-34s ours runs %s | peer runs %s' % ('', ['%.2f' % x for x in ours], ['%.2f' % x for x in peer]))


def maven_floor(n):
    """Seconds `mvn -B -o validate` takes on an empty pom project (no plugin at all): Maven's own start and exit, the
    part of every whole command that no plugin can cut. Median of n runs."""
    work = os.path.join(TARGET, 'bench-maven-floor')
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, 'pom.xml'), 'w') as f:
        f.write('<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
                '<groupId>bench</groupId><artifactId>floor</artifactId><version>1.0</version>'
                '<packaging>pom</packaging></project>\n')
    return statistics.median(timed(['mvn', '-B', '-o', 'validate'], work)[0] for _ in range(n))


def floor_report(name, floor, peer, target):
    """Prints how much of a whole-command target Maven's own floor already takes."""
    mp = statistics.median(peer)
    budget = target * mp
    print('%-34s Maven floor %.2f s (mvn -B -o validate, empty project) = %.2fx of the peer\'s %.2f s; a %.1fx target '
          'leaves %.2f s for the plugin | load %s' % (name, floor, floor / mp, mp, target, budget - floor, load()))


def rmtree(path):
    shutil.rmtree(path, ignore_errors=True)


def write_pom(directory, artifact, configuration, executions=''):
    """A pom-packaged project that uses this plugin with the given <configuration> body."""
    with open(os.path.join(directory, 'pom.xml'), 'w') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
                '  <modelVersion>4.0.0</modelVersion>\n'
                '  <groupId>bench</groupId><artifactId>%s</artifactId><version>1.0</version><packaging>pom</packaging>\n'
                '  <build><plugins><plugin>\n'
                '    <groupId>dev.datahub</groupId><artifactId>datahub-maven-plugin</artifactId><version>%s</version>\n'
                '    <configuration>%s</configuration>\n%s'
                '  </plugin></plugins></build>\n</project>\n' % (artifact, plugin_version(), configuration, executions))


class Fixture:
    """A test fixture started by a main class in src/test/java/dev/datahub/bench; it writes its address to a file and
    stops when its standard input closes."""

    def __init__(self, main_class, work):
        subprocess.run(['mvn', '-B', '-q', '-o', 'test-compile', 'dependency:build-classpath',
                        '-Dmdep.outputFile=target/bench.classpath', '-Dmdep.includeScope=test'], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(TARGET, 'bench.classpath')) as f:
            cp = 'target/classes:target/test-classes:' + f.read().strip()
        self.file = os.path.join(work, main_class + '.txt')
        self.proc = subprocess.Popen(['java', '-cp', cp, 'dev.datahub.bench.' + main_class, self.file], cwd=ROOT,
                                     stdin=subprocess.PIPE)

    def __enter__(self):
        while not os.path.exists(self.file):
            if self.proc.poll() is not None:
                raise SystemExit('the fixture did not start')
            time.sleep(0.2)
        with open(self.file) as f:
            return f.read().split()

    def __exit__(self, *exc):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
