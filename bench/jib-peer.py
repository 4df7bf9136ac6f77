"""build-image against jib-maven-plugin 3.4.6 on the same content: 200 notebooks (~8 KB each) on the build-image
benchmark's base (one 32 MiB layer) in fixtures/LocalRegistry; no-op rebuild and one-notebook change.

Usage: /usr/bin/python3 bench/jib-peer.py [pairs=5]
Ours: `mvn -B -o package` (build-image bound to package). The peer: `mvn -B compile jib:build` (Jib refuses -o) of a jar project
with the notebooks as an extra directory and the base's entrypoint. Both projects are generated under
target/bench-jib-peer; every run of the change case edits notebooks/nb-7.ipynb of the project about to be built.
Each case prints the whole commands and the goals alone (from Maven's "--- plugin:version:goal" line, which comes before
the plugin's class realm is resolved, to the goal's last line).
"""
import json
import os
import re
import random
import shutil
import sys

sys.dont_write_bytecode = True  # nothing generated next to the scripts
sys.path.insert(0, os.path.dirname(__file__))
import benchlib  # noqa: E402

WORK = os.path.join(benchlib.TARGET, 'bench-jib-peer')
OURS = os.path.join(WORK, 'ours')
JIB = os.path.join(WORK, 'jib')

CONFIGURATION = '''<image><from>%(host)s/bench/base:1</from><to>%(host)s/bench/ours</to>
      <allowInsecureRegistries><registry>%(host)s</registry></allowInsecureRegistries>
      <content><mapping><source>notebooks</source><target>/home/jovyan/notebooks</target><owner>1000:100</owner>
      </mapping></content></image>'''
EXECUTIONS = '''    <executions><execution><phase>package</phase><goals><goal>build-image</goal></goals></execution></executions>
'''
JIB_POM = '''<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>jib-peer</artifactId><version>1.0</version>
  <properties><maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <build><plugins>
  <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
  <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
  <plugin>
    <groupId>com.google.cloud.tools</groupId><artifactId>jib-maven-plugin</artifactId><version>3.4.6</version>
    <configuration>
      <from><image>%(host)s/bench/base:1</image></from>
      <to><image>%(host)s/bench/jib</image></to>
      <allowInsecureRegistries>true</allowInsecureRegistries>
      <container><entrypoint>INHERIT</entrypoint></container>
      <extraDirectories><paths><path><from>notebooks</from><into>/home/jovyan/notebooks</into></path></paths>
        <permissions><permission><file>/home/jovyan/notebooks/**</file><mode>644</mode></permission></permissions>
      </extraDirectories>
    </configuration>
  </plugin></plugins></build>
</project>
'''


def notebook(rng, size):
    words = ' '.join('%x' % rng.getrandbits(40) for _ in range(size // 11))
    return json.dumps({'cells': [{'cell_type': 'markdown', 'metadata': {}, 'source': [words]}],
                       'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5})


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    benchlib.rmtree(WORK)
    for d in (OURS, JIB):
        os.makedirs(os.path.join(d, 'notebooks'))
    # Jib needs target/classes; one resource makes it (an otherwise empty jar project has none)
    os.makedirs(os.path.join(JIB, 'src/main/resources'))
    with open(os.path.join(JIB, 'src/main/resources/bench.txt'), 'w') as f:
        f.write('jib peer\n')
    rng = random.Random(2)
    for i in range(200):
        text = notebook(rng, 8000)
        for d in (OURS, JIB):
            with open(os.path.join(d, 'notebooks', 'nb-%d.ipynb' % i), 'w') as f:
                f.write(text)
    repo, settings = benchlib.plugin_repository()
    with benchlib.Fixture('RegistryForBench', WORK) as (host,):
        benchlib.write_pom(OURS, 'jib-ours', CONFIGURATION % {'host': host}, EXECUTIONS)
        with open(os.path.join(JIB, 'pom.xml'), 'w') as f:
            f.write(JIB_POM % {'host': host})
        mvn = ['mvn', '-B', '-s', settings, '-Dmaven.repo.local=' + repo]
        benchlib.timed(mvn + ['package'], OURS)  # fills the private repository, first push
        benchlib.timed(mvn + ['compile', 'jib:build'], JIB)

        goals = {'ours': [], 'jib': []}  # from the goal's "--- plugin:version:goal" line to its last line

        last = {}

        def ours():
            took, out = benchlib.timed(mvn + benchlib.STAMPS + ['-o', 'package'], OURS)
            goals['ours'].append(benchlib.span(out, r'--- datahub-maven-plugin:', r'Built image '))
            last['ours'] = out
            return took

        def jib():  # Jib refuses offline mode ("Cannot build to a container registry in offline mode")
            took, out = benchlib.timed(mvn + benchlib.STAMPS + ['compile', 'jib:build'], JIB)
            goals['jib'].append(benchlib.span(out, r'--- jib-maven-plugin:', r'Built and pushed image as '))
            return took

        def report_goals(name):
            benchlib.report(name, 'build-image goal', goals['ours'], 'jib:build goal', goals['jib'])
            goals['ours'].clear()
            goals['jib'].clear()

        print('200 notebooks (~8 KB), base 32 MiB, registry %s, %d interleaved pairs, %d CPUs' % (host, n,
                                                                                                 os.cpu_count()))
        a, b = benchlib.pairs(n, ours, jib)
        benchlib.report('image, nothing changed', 'mvn -B -o package', a, 'jib 3.4.6 compile jib:build', b)
        report_goals('image, nothing changed, in the goal')
        edits = iter(range(1000))

        def changed(run, project):
            def go():
                with open(os.path.join(project, 'notebooks', 'nb-7.ipynb'), 'w') as f:
                    f.write(notebook(random.Random(100 + next(edits)), 8000))
                return run()
            return go

        a, b = benchlib.pairs(n, changed(ours, OURS), changed(jib, JIB))
        benchlib.report('image, one notebook changed', 'mvn -B -o package', a, 'jib 3.4.6 compile jib:build', b)
        report_goals('image, one notebook changed, in the goal')
        print('the last one-notebook run of ours, timestamped:')
        for line in last['ours'].splitlines():
            if benchlib.STAMP.match(line) and not re.search(r'\[INFO\] *$|-{20}', line):
                print('  ' + line[:150])
    shutil.rmtree(os.path.join(WORK, 'ours', 'target'), ignore_errors=True)


if __name__ == '__main__':
    main()
