"""Python layers: this plugin's `mvn -B -o package` against pip install --target + tar, on the same 30 locked wheels.

Usage: /usr/bin/python3 bench/python-peer.py [pairs=5]
Generates under target/bench-python-peer: 30 pure-Python wheels (10-40 modules each), a hashed lock, a Maven project
(scratch base, find-links, image written as a tarball), then runs interleaved pairs, cold (empty wheel cache, no
staging) and warm (wheels cached: a rebuild), and prints both medians and the ratio: for the whole commands, and for the
work inside the goal (the Python step's own time, printed on its "python: N packages" line, plus Jib writing the layers
into the tarball, up to the "Wrote …image.tar" line) against the same pip + tar.
"""
import base64
import hashlib
import os
import re
import sys
import zipfile

sys.dont_write_bytecode = True  # nothing generated next to the scripts
sys.path.insert(0, os.path.dirname(__file__))
import benchlib  # noqa: E402

PIP = '/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl/pip'
WORK = os.path.join(benchlib.TARGET, 'bench-python-peer')
WHEELS = os.path.join(WORK, 'wheels')
PROJECT = os.path.join(WORK, 'project')


def record_hash(data):
    return 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()


def wheel(i):
    name, version = 'bench_pkg_%02d' % i, '1.0.%d' % i
    files = {'%s/__init__.py' % name: b'VERSION = "%s"\n' % version.encode()}
    for m in range(10 + (i * 7) % 31):
        body = ''.join('def f%d_%d(x):\n    return x * %d + %d\n\n' % (m, k, k, i) for k in range(20))
        files['%s/mod_%02d.py' % (name, m)] = body.encode()
    dist = '%s-%s.dist-info' % (name, version)
    files[dist + '/METADATA'] = ('Metadata-Version: 2.1\nName: %s\nVersion: %s\n' % (name.replace('_', '-'), version)
                                 ).encode()
    files[dist + '/WHEEL'] = b'Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
    record = ''.join('%s,%s,%d\n' % (p, record_hash(d), len(d)) for p, d in files.items()) + dist + '/RECORD,,\n'
    files[dist + '/RECORD'] = record.encode()
    path = os.path.join(WHEELS, '%s-%s-py3-none-any.whl' % (name, version))
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for p, d in files.items():
            info = zipfile.ZipInfo(p, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, d, zipfile.ZIP_DEFLATED)
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return '%s==%s \\\n    --hash=sha256:%s\n' % (name.replace('_', '-'), version, digest)


CONFIGURATION = '''<image><from>scratch</from>
      <python><requirements>%s</requirements><index>none</index><findLinks>%s</findLinks>
        <cacheDir>${project.build.directory}/wheel-cache</cacheDir></python>
    </image>'''
EXECUTIONS = '''    <executions><execution><phase>package</phase><goals><goal>build-image</goal></goals></execution></executions>
'''


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    benchlib.rmtree(WORK)
    os.makedirs(WHEELS)
    os.makedirs(PROJECT)
    lock = os.path.join(WORK, 'requirements.lock')
    with open(lock, 'w') as f:
        f.write(''.join(wheel(i) for i in range(30)))
    repo, settings = benchlib.plugin_repository()
    benchlib.write_pom(PROJECT, 'python-peer', CONFIGURATION % (lock, WHEELS), EXECUTIONS)
    mvn = ['mvn', '-B', '-s', settings, '-Dmaven.repo.local=' + repo]
    benchlib.timed(mvn + ['package'], PROJECT)  # fills the private repository once
    build = os.path.join(PROJECT, 'target')
    peer_target = os.path.join(WORK, 'pip-target')

    in_goal = []  # the Python step (its own figure) + Jib writing the layers into the tarball

    def ours():
        took, out = benchlib.timed(mvn + benchlib.STAMPS + ['-o', 'package'], PROJECT)
        m = re.search(r'python: \d+ packages in .* ([0-9.]+) s\)', out)
        tarball = benchlib.span(out, r'python: \d+ packages in', r'Wrote .*image\.tar')
        in_goal.append(float(m.group(1)) + tarball if m else float('nan'))
        return took

    def peer():
        benchlib.rmtree(peer_target)
        t1, _ = benchlib.timed(['/usr/bin/python3', PIP, 'install', '-q', '--no-index', '--find-links', WHEELS,
                                '--target', peer_target, '--no-deps', '--no-compile', '-r', lock], WORK)
        t2, _ = benchlib.timed(['tar', '-cf', os.path.join(WORK, 'layer.tar'), '-C', peer_target, '.'], WORK)
        return t1 + t2

    print('30 wheels, %d interleaved pairs each, JDK/Maven as on PATH, %d CPUs' % (n, os.cpu_count()))
    cold_ours, cold_peer = benchlib.pairs(n, ours, peer, before_each=lambda: benchlib.rmtree(build))
    benchlib.report('python layers, cold', 'mvn -B -o package', cold_ours, 'pip --target + tar', cold_peer)
    benchlib.report('python layers, cold, in the goal', 'python step + tarball', in_goal[:], 'pip --target + tar',
                    cold_peer)
    ours()
    del in_goal[:]
    warm_ours, warm_peer = benchlib.pairs(n, ours, peer)
    benchlib.report('python layers, wheels cached', 'mvn -B -o package', warm_ours, 'pip --target + tar', warm_peer)
    benchlib.report('python layers, cached, in the goal', 'python step + tarball', in_goal, 'pip --target + tar',
                    warm_peer)
    floor = benchlib.maven_floor(n)
    benchlib.floor_report('python layers, cold, whole', floor, cold_peer, 1.5)
    benchlib.floor_report('python layers, cached, whole', floor, warm_peer, 1.5)


if __name__ == '__main__':
    main()
