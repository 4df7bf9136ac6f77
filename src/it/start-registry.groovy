// Shared by the ITs' setup.groovy: starts a real registry (Debian docker-registry) on a free loopback port,
// optionally behind htpasswd basic auth, stopped when the invoking JVM exits. Returns 'host:port'.
// Usage: def start = evaluate(new File(basedir, '../../../src/it/start-registry.groovy')); start(basedir, user, password)
return { File basedir, String user = null, String password = null ->
  def binary = new File('/usr/bin/docker-registry')
  if (!binary.canExecute()) {
    throw new IllegalStateException('/usr/bin/docker-registry is missing: run apt-get install -y docker-registry')
  }
  def port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
  def dir = new File(basedir, 'target/registry')
  dir.mkdirs()
  def auth = ''
  if (user != null) {
    def p = ['/usr/bin/python3', '-c',
             'import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(rounds=5)).decode())',
             password].execute()
    def hash = p.text.trim()
    if (p.waitFor() != 0 || !hash.startsWith('$2')) {
      throw new IllegalStateException('cannot make a bcrypt hash: run apt-get install -y python3-bcrypt')
    }
    new File(dir, 'htpasswd').text = "${user}:${hash}\n"
    auth = "auth:\n  htpasswd:\n    realm: it\n    path: ${dir}/htpasswd\n"
  }
  def config = new File(dir, 'config.yml')
  config.text = "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n" +
      "http:\n  addr: 127.0.0.1:${port}\n" + auth
  def pb = new ProcessBuilder(binary.path, 'serve', config.path)
  pb.redirectErrorStream(true)
  pb.redirectOutput(new File(dir, 'registry.log'))
  def process = pb.start()
  Runtime.runtime.addShutdownHook(new Thread({ process.destroy() }))
  def ready = false
  for (int i = 0; i < 100 && !ready; i++) {
    try {
      def code = new URL("http://127.0.0.1:${port}/v2/").openConnection().responseCode
      ready = code == 200 || code == 401
    } catch (IOException e) {
      Thread.sleep(100)
    }
  }
  if (!ready) {
    throw new IllegalStateException('registry did not start: ' + new File(dir, 'registry.log').text)
  }
  new File(basedir, 'registry.address').text = "127.0.0.1:${port}"
  return "127.0.0.1:${port}".toString()
}
