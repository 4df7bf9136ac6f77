// Starts a real registry (Debian docker-registry) on a free loopback port for this IT and hands
// its address to the forked mvn through .mvn/maven.config. It is stopped when this JVM exits.
def binary = new File('/usr/bin/docker-registry')
if (!binary.canExecute()) {
  throw new IllegalStateException('/usr/bin/docker-registry is missing: run apt-get install -y docker-registry')
}
def port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
def dir = new File(basedir, 'target/registry')
dir.mkdirs()
def config = new File(dir, 'config.yml')
config.text = """version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: ${dir}/data
http:
  addr: 127.0.0.1:${port}
"""
def pb = new ProcessBuilder(binary.path, 'serve', config.path)
pb.redirectErrorStream(true)
pb.redirectOutput(new File(dir, 'registry.log'))
def process = pb.start()
Runtime.runtime.addShutdownHook(new Thread({ process.destroy() }))
def ready = false
for (int i = 0; i < 100 && !ready; i++) {
  try {
    ready = new URL("http://127.0.0.1:${port}/v2/").openConnection().responseCode == 200
  } catch (IOException e) {
    Thread.sleep(100)
  }
}
assert ready : "registry did not start: " + new File(dir, 'registry.log').text
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dit.registry=127.0.0.1:${port}\n"
new File(basedir, 'registry.address').text = "127.0.0.1:${port}"
return true
