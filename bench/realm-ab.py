"""What Maven's resolution of helm-java and the Kubernetes client cost a goal that uses neither, before and after they
became provided-scope dependencies that the release goals add to the plugin realm themselves.

Usage: /usr/bin/python3 bench/realm-ab.py [pairs=5] [debug-rounds=3]
This plugin is installed into target/bench-repo (its pom as this branch builds it: both libraries provided). Two
hard-linked copies differ only in the plugin's pom:
  -main:   the two dependencies in compile scope again, as main built the plugin (Maven puts them, with Vert.x, Netty
           and JNA, into the realm of every goal);
  -no-bom: this branch's pom without the kubernetes-client-bom import (the fabric8 versions pinned instead), to
           see what reading the BOM while building the plugin pom's model costs.
Each runs the same `mvn -B -o package` (build-image of 20 notebooks on a scratch base into a tarball: no server).
1. Whole command, main against this branch: interleaved pairs, medians.
2. `mvn -X` rounds over the three poms (interleaved): the plugin realm's "Dependency collection stats" (nodeCount,
   collectTime), the jars Maven put in the realm ("Included:"), and Maven's "Total time".
"""
import os
import re
import shutil
import statistics
import sys

sys.dont_write_bytecode = True  # nothing generated next to the scripts
sys.path.insert(0, os.path.dirname(__file__))
import benchlib  # noqa: E402

WORK = os.path.join(benchlib.TARGET, 'bench-realm-ab')
CONFIGURATION = '''<image><from>scratch</from>
      <content><mapping><source>notebooks</source><target>/home/jovyan/notebooks</target></mapping></content>
    </image>'''
EXECUTIONS = '''    <executions><execution><phase>package</phase><goals><goal>build-image</goal></goals></execution></executions>
'''
RELEASE_LIBRARIES = ('kubernetes-client', 'helm-java')


def as_main(pom):
    """The two release libraries back in compile scope."""
    for artifact in RELEASE_LIBRARIES:
        pom, n = re.subn(r'(<artifactId>%s</artifactId>(?:(?!</dependency>).)*?)\s*<scope>provided</scope>' % artifact,
                         r'\1', pom, flags=re.S)
        if n != 1:
            raise SystemExit('no provided %s in the installed plugin pom' % artifact)
    return pom


def without_bom(pom):
    """No kubernetes-client-bom import; the fabric8 versions pinned."""
    pom, n = re.subn(r'\s*<dependency>\s*<groupId>io\.fabric8</groupId>\s*<artifactId>kubernetes-client-bom</artifactId>'
                     r'.*?</dependency>', '', pom, flags=re.S)
    pom, m = re.subn(r'(<artifactId>kubernetes-(?:client|server-mock)</artifactId>)',
                     r'\1\n      <version>${fabric8.version}</version>', pom)
    if n != 1 or m != 2:
        raise SystemExit('cannot remove the BOM import from the installed plugin pom')
    return pom


def variant(repo, suffix, edit):
    """A hard-linked copy of repo whose plugin pom is edit(pom)."""
    copy = repo + suffix
    benchlib.rmtree(copy)
    shutil.copytree(repo, copy, copy_function=os.link)
    d = os.path.join(copy, 'dev/datahub/datahub-maven-plugin', benchlib.plugin_version())
    for name in os.listdir(d):
        if name.endswith('.pom'):
            path = os.path.join(d, name)
            with open(path) as f:
                pom = edit(f.read())
            os.remove(path)  # a new file, not the hard-linked one
            with open(path, 'w') as f:
                f.write(pom)
    return copy


def debug_figures(out):
    """(nodeCount, collectTime s, jars in the plugin realm, Maven's Total time s) from a `mvn -X` log."""
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if 'Populating class realm plugin>dev.datahub:datahub-maven-plugin' in l)
    stats = next(l for l in reversed(lines[:start]) if 'Dependency collection stats' in l)
    nodes = int(re.search(r'ConflictMarker\.nodeCount=(\d+)', stats).group(1))
    collect = int(re.search(r'DefaultDependencyCollector\.collectTime=(\d+)', stats).group(1)) / 1e9
    jars = 0
    for line in lines[start + 1:]:
        if 'Included: ' not in line:
            break
        jars += 1
    total = re.search(r'Total time:\s+([\d.]+) s', out)
    return nodes, collect, jars, float(total.group(1)) if total else float('nan')


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    benchlib.rmtree(WORK)
    os.makedirs(os.path.join(WORK, 'notebooks'))
    for i in range(20):
        with open(os.path.join(WORK, 'notebooks', 'nb-%d.ipynb' % i), 'w') as f:
            f.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "n": %d}\n' % i)
    repo, settings = benchlib.plugin_repository()
    main_repo = variant(repo, '-main', as_main)
    no_bom = variant(repo, '-no-bom', without_bom)
    benchlib.write_pom(WORK, 'realm-ab', CONFIGURATION, EXECUTIONS)

    def run(local, offline=True, debug=False):
        def go():
            took, out = benchlib.timed(['mvn', '-B'] + (['-o'] if offline else []) + (['-X'] if debug else []) + [
                '-s', settings, '-Dmaven.repo.local=' + local, 'package'], WORK)
            return (took, out) if debug else took
        return go

    for local in (repo, main_repo, no_bom):
        run(local, False)()  # fills each private repository with what its plugin pom needs
    print('build-image (20 notebooks, scratch, tarball), %d interleaved pairs, %d CPUs' % (n, os.cpu_count()))
    a, b = benchlib.pairs(n, run(main_repo), run(repo))
    benchlib.report('plugin realm, main / this branch', 'main', a, 'release libraries provided', b)

    poms = [('main (compile scope)', main_repo), ('this branch (provided)', repo), ('this branch, no BOM import', no_bom)]
    figures = {label: [] for label, _ in poms}
    for r in range(rounds):
        for label, local in (poms if r % 2 == 0 else list(reversed(poms))):
            figures[label].append(debug_figures(run(local, debug=True)()[1]))
    print('mvn -X, %d rounds, medians | load %s' % (rounds, benchlib.load()))
    print('%-28s %6s %6s %14s %14s' % ('plugin pom', 'nodes', 'jars', 'collectTime s', 'Total time s'))
    for label, _ in poms:
        rows = figures[label]
        print('%-28s %6d %6d %14.2f %14.2f   collect %s total %s' % (
            label, rows[0][0], rows[0][2], statistics.median(r[1] for r in rows),
            statistics.median(r[3] for r in rows), ['%.2f' % r[1] for r in rows], ['%.2f' % r[3] for r in rows]))


if __name__ == '__main__':
    main()
