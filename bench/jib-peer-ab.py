"""build-image of jib-peer.py's project (200 notebooks, the same base, fixtures/LocalRegistry) with two builds of this
plugin, interleaved: A = a plugin installed earlier by a copy of this repository (its target/bench-repo), B = this
checkout. For a before/after of one change on a busy machine, where the peer's ratio moves with the load.

Usage: /usr/bin/python3 bench/jib-peer-ab.py PAIRS OTHER_CHECKOUT
e.g. git archive main | tar -x -C /tmp/before && (cd /tmp/before && /usr/bin/python3 bench/jib-peer.py 1)
     /usr/bin/python3 bench/jib-peer-ab.py 5 /tmp/before
Prints, per case (nothing changed, one notebook changed), the whole commands, the goals, and the span from "Reading
the Python of base image" to the plan's next line (the base's registry reads and the cached scan).
"""
import os
import random
import statistics
import sys

sys.dont_write_bytecode = True  # nothing generated next to the scripts
sys.path.insert(0, os.path.dirname(__file__))
import benchlib  # noqa: E402

peer = __import__('jib-peer')
WORK = os.path.join(benchlib.TARGET, 'bench-jib-peer-ab')
OURS = os.path.join(WORK, 'ours')
BASE_READ = (r'Reading the Python of base image', r'(Base image .* not pinned|Pulling base image|already exists)')


def main():
    n, other = int(sys.argv[1]), os.path.abspath(sys.argv[2])
    benchlib.rmtree(WORK)
    os.makedirs(os.path.join(OURS, 'notebooks'))
    rng = random.Random(2)
    for i in range(200):
        with open(os.path.join(OURS, 'notebooks', 'nb-%d.ipynb' % i), 'w') as f:
            f.write(peer.notebook(rng, 8000))
    plugins = {'A': (os.path.join(other, 'target/bench-repo'), os.path.join(other, 'target/bench-settings.xml')),
               'B': benchlib.plugin_repository()}
    with benchlib.Fixture('RegistryForBench', WORK) as (host,):
        benchlib.write_pom(OURS, 'jib-ours', peer.CONFIGURATION % {'host': host}, peer.EXECUTIONS)

        def mvn(which):
            repo, settings = plugins[which]
            return ['mvn', '-B', '-s', settings, '-Dmaven.repo.local=' + repo]

        benchlib.timed(mvn('A') + ['package'], OURS)  # first push
        goals = {'A': [], 'B': []}
        spans = {'A': [], 'B': []}

        def run(which):
            def go():
                took, out = benchlib.timed(mvn(which) + benchlib.STAMPS + ['-o', 'package'], OURS)
                goals[which].append(benchlib.span(out, r'--- datahub-maven-plugin:', r'Built image '))
                spans[which].append(benchlib.span(out, *BASE_READ))
                return took
            return go

        edits = iter(range(1000))

        def changed(go):
            def edit_then_go():
                with open(os.path.join(OURS, 'notebooks', 'nb-7.ipynb'), 'w') as f:
                    f.write(peer.notebook(random.Random(100 + next(edits)), 8000))
                return go()
            return edit_then_go

        print('%d interleaved pairs, A = %s, B = this checkout' % (n, other))
        for case, wrap in (('nothing changed', lambda go: go), ('one notebook changed', changed)):
            a, b = benchlib.pairs(n, wrap(run('A')), wrap(run('B')))
            med = statistics.median
            print('%-21s whole A %.2f s | B %.2f s | B/A %.2fx; goal A %.2f | B %.2f; base read A %.2f | B %.2f; load %s'
                  % (case, med(a), med(b), med(b) / med(a), med(goals['A']), med(goals['B']), med(spans['A']),
                     med(spans['B']), benchlib.load()))
            print('  whole A %s B %s' % (['%.2f' % x for x in a], ['%.2f' % x for x in b]))
            print('  base read A %s B %s' % (['%.2f' % x for x in spans['A']], ['%.2f' % x for x in spans['B']]))
            for d in (goals, spans):
                d['A'].clear()
                d['B'].clear()
    benchlib.rmtree(os.path.join(OURS, 'target'))


if __name__ == '__main__':
    main()
