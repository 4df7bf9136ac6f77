"""What Maven's resolution of helm-java and the Kubernetes client costs a goal that uses neither.

Usage: /usr/bin/python3 bench/realm-ab.py [pairs=7]
Maven builds one class realm per plugin from the plugin's whole dependency graph, whatever the goal. This runs the same
`mvn -B -o package` (build-image of 20 notebooks on a scratch base into a tarball: no server) against two private local
repositories holding the same plugin jar: target/bench-repo (the plugin's pom as built) and target/bench-repo-lean (a
hard-linked copy whose plugin pom lists neither io.fabric8:kubernetes-client nor com.marcnuri.helm-java:helm-java).
Interleaved pairs, medians. If build-image loaded a class of either library, the lean run would fail.
"""
import os
import re
import shutil
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
LEAN_OUT = ('kubernetes-client', 'helm-java')


def lean_repository(repo):
    """A hard-linked copy of repo whose plugin pom has no kubernetes-client and no helm-java dependency."""
    lean = repo + '-lean'
    benchlib.rmtree(lean)
    shutil.copytree(repo, lean, copy_function=os.link)
    d = os.path.join(lean, 'dev/datahub/datahub-maven-plugin', benchlib.plugin_version())
    for name in os.listdir(d):
        if name.endswith('.pom'):
            path = os.path.join(d, name)
            with open(path) as f:
                pom = f.read()
            for artifact in LEAN_OUT:
                pom = re.sub(r'\s*<dependency>\s*<groupId>[^<]+</groupId>\s*<artifactId>%s</artifactId>.*?</dependency>'
                             % artifact, '', pom, flags=re.S)
            os.remove(path)  # a new file, not the hard-linked one
            with open(path, 'w') as f:
                f.write(pom)
    return lean


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    benchlib.rmtree(WORK)
    os.makedirs(os.path.join(WORK, 'notebooks'))
    for i in range(20):
        with open(os.path.join(WORK, 'notebooks', 'nb-%d.ipynb' % i), 'w') as f:
            f.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "n": %d}\n' % i)
    repo, settings = benchlib.plugin_repository()
    lean = lean_repository(repo)
    benchlib.write_pom(WORK, 'realm-ab', CONFIGURATION, EXECUTIONS)

    def run(local, offline=True):
        def go():
            return benchlib.timed(['mvn', '-B'] + (['-o'] if offline else []) + [
                '-s', settings, '-Dmaven.repo.local=' + local, 'package'], WORK)[0]
        return go

    run(repo, False)()  # fills each private repository with what its plugin pom needs
    run(lean, False)()
    print('build-image (20 notebooks, scratch, tarball), %d interleaved pairs, %d CPUs' % (n, os.cpu_count()))
    a, b = benchlib.pairs(n, run(repo), run(lean))
    benchlib.report('plugin realm with / without', 'as built', a, 'no fabric8, no helm-java', b)


if __name__ == '__main__':
    main()
