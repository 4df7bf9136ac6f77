"""Smoke test: `mvn datahub:smoke-test` against a peer written with requests + websocket-client, on the same local hub.

Usage: /usr/bin/python3 bench/smoke-peer.py [pairs=5]
       /usr/bin/python3 bench/smoke-peer.py --kernel-ab [pairs=9]   (cleanup A/B: kernel DELETE before the stop or not)
The peer does the same work: create user, start server, wait ready, start kernel, execute the notebook's code cells
(src/test/resources/notebooks/ok.ipynb), delete kernel, stop server, delete user. It prints its own "reported" time
(first request to last answer, as the plugin's report does) and both commands' whole times, medians of interleaved
pairs, and the ratios. The hub is fixtures/LocalJupyterHub, started once by dev.datahub.bench.HubForBench.
"""
import json
import os
import re
import subprocess
import sys
import time
import uuid

sys.dont_write_bytecode = True  # nothing generated next to the scripts
sys.path.insert(0, os.path.dirname(__file__))
import benchlib  # noqa: E402

WORK = os.path.join(benchlib.TARGET, 'bench-smoke-peer')
NOTEBOOK = os.path.join(benchlib.ROOT, 'src/test/resources/notebooks/ok.ipynb')
USER = 'bench-peer'


def peer(hub, token, delete_kernel=True):
    """The peer itself; returns seconds from its first request to its last answer."""
    import requests
    import websocket
    t0 = time.monotonic()
    s = requests.Session()
    s.headers['Authorization'] = 'token ' + token
    api = hub.rstrip('/') + '/hub/api'
    s.post(api + '/users/' + USER).raise_for_status()
    r = s.post(api + '/users/%s/server' % USER)
    r.raise_for_status()
    while True:
        user = s.get(api + '/users/' + USER).json()
        server = user.get('servers', {}).get('')
        if server and server.get('ready'):
            break
        time.sleep(0.05)
    base = hub.rstrip('/') + server['url']
    kernel = s.post(base + 'api/kernels', json={'name': 'python3'})
    kernel.raise_for_status()
    kid = kernel.json()['id']
    ws = websocket.create_connection(re.sub('^http', 'ws', base) + 'api/kernels/%s/channels' % kid,
                                     header=['Authorization: token ' + token], timeout=30)
    with open(NOTEBOOK) as f:
        cells = [c for c in json.load(f)['cells'] if c['cell_type'] == 'code']
    for cell in cells:
        code = cell['source'] if isinstance(cell['source'], str) else ''.join(cell['source'])
        mid = uuid.uuid4().hex
        ws.send(json.dumps({'header': {'msg_id': mid, 'msg_type': 'execute_request', 'username': USER,
                                       'session': mid, 'version': '5.3', 'date': ''},
                            'parent_header': {}, 'metadata': {}, 'channel': 'shell',
                            'content': {'code': code, 'silent': False, 'store_history': False,
                                        'user_expressions': {}, 'allow_stdin': False, 'stop_on_error': True}}))
        reply = idle = False
        while not (reply and idle):
            msg = json.loads(ws.recv())
            if msg.get('parent_header', {}).get('msg_id') != mid:
                continue
            if msg['msg_type'] == 'execute_reply':
                if msg['content']['status'] != 'ok':
                    raise SystemExit('cell failed: %s' % msg['content'])
                reply = True
            elif msg['msg_type'] == 'status' and msg['content']['execution_state'] == 'idle':
                idle = True
    ws.close()
    if delete_kernel:
        s.delete(base + 'api/kernels/' + kid).raise_for_status()
    s.delete(api + '/users/%s/server' % USER).raise_for_status()
    while s.get(api + '/users/' + USER).json().get('servers', {}).get(''):
        time.sleep(0.05)
    s.delete(api + '/users/' + USER).raise_for_status()
    return time.monotonic() - t0


CONFIGURATION = '''<smokeTest><hubUrl>%s</hubUrl><tokenEnv>BENCH_HUB_TOKEN</tokenEnv>
      <notebooks><notebook>%s</notebook></notebooks></smokeTest>'''


def kernel_ab(n):
    """The cleanup A/B on the hub alone (no JVM): DELETE the kernel, then stop the server, against stopping the server
    with the kernel running (the server shuts it down). Interleaved pairs in this one process, medians."""
    benchlib.rmtree(WORK)
    os.makedirs(WORK)
    with benchlib.Fixture('HubForBench', WORK) as (hub, token):
        peer(hub, token)  # warm-up
        a, b = benchlib.pairs(n, lambda: peer(hub, token, True), lambda: peer(hub, token, False))
        benchlib.report('kernel DELETE, then stop', 'delete first', a, 'stop only', b)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--peer-only':
        hub, token = open(sys.argv[2]).read().split()
        print('%.2f' % peer(hub, token))
        return
    if len(sys.argv) > 1 and sys.argv[1] == '--kernel-ab':
        kernel_ab(int(sys.argv[2]) if len(sys.argv) > 2 else 9)
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    benchlib.rmtree(WORK)
    os.makedirs(WORK)
    repo, settings = benchlib.plugin_repository()
    hub_fixture = benchlib.Fixture('HubForBench', WORK)
    with hub_fixture as (hub, token):
        hubfile = hub_fixture.file
        benchlib.write_pom(WORK, 'smoke-peer', CONFIGURATION % (hub, NOTEBOOK))
        env = dict(os.environ, BENCH_HUB_TOKEN=token)
        mvn = ['mvn', '-B', '-s', settings, '-Dmaven.repo.local=' + repo]
        goal = 'dev.datahub:datahub-maven-plugin:%s:smoke-test' % benchlib.plugin_version()
        benchlib.timed(mvn + [goal], WORK, env)  # fills the private repository, warms the hub
        reported = {'ours': [], 'peer': []}
        last = {}
        in_goal = []  # from Maven's "--- datahub-maven-plugin:…:smoke-test" line (before the plugin realm) to its last line

        def ours():
            took, out = benchlib.timed(mvn + benchlib.STAMPS + ['-o', goal], WORK, env)
            m = re.search(r'Smoke test of .*?: PASSED in ([0-9.]+) ?s', out)
            reported['ours'].append(float(m.group(1)) if m else float('nan'))
            in_goal.append(benchlib.span(out, r'--- datahub-maven-plugin:', r'Smoke-test reports: '))
            last['ours'] = out
            return took

        def whole_peer():
            took, out = benchlib.timed(['/usr/bin/python3', __file__, '--peer-only', hubfile], WORK)
            reported['peer'].append(float(out.split()[-1]))
            return took

        whole_peer()
        a, b = benchlib.pairs(n, ours, whole_peer)
        benchlib.report('smoke test, whole commands', 'mvn datahub:smoke-test', a, 'requests+websocket', b)
        benchlib.report('smoke test, reported times', 'plugin report', reported['ours'], 'peer t0..end',
                        reported['peer'][1:])
        benchlib.report('smoke test, goal vs reported', 'whole goal', in_goal, 'peer t0..end', reported['peer'][1:])
        benchlib.floor_report('smoke test, whole', benchlib.maven_floor(n), b, 1.3)
        print('the last run of ours, timestamped:')
        for line in last['ours'].splitlines():
            if benchlib.STAMP.match(line) and not re.search(r'\[INFO\] *$|-{20}', line):
                print('  ' + line[:150])


if __name__ == '__main__':
    main()
