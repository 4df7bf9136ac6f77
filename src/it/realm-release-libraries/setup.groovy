// A small Kubernetes API on a free loopback port (JDK HttpServer, in the invoking JVM): /version answers, every other
// GET of a collection is an empty list, anything else 404. Enough for status to read "no release" through the Kubernetes client.
// The requests it saw are kept for verify.groovy, which stops it.
import com.sun.net.httpserver.HttpServer

def requests = Collections.synchronizedList([])
def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
server.createContext('/') { exchange ->
  requests << "${exchange.requestMethod} ${exchange.requestURI}".toString()
  def path = exchange.requestURI.path
  def code = 200
  def body
  if (path == '/version') {
    body = '{"major":"1","minor":"33","gitVersion":"v1.33.0"}'
  } else if (exchange.requestMethod == 'GET' && !(path ==~ '.*/namespaces/[^/]+/[^/]+/[^/]+')) {
    body = '{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":"1"},"items":[]}'
  } else {
    code = 404
    body = '{"apiVersion":"v1","kind":"Status","status":"Failure","reason":"NotFound","code":404}'
  }
  def bytes = body.getBytes('UTF-8')
  exchange.responseHeaders.add('Content-Type', 'application/json')
  exchange.sendResponseHeaders(code, bytes.length)
  exchange.responseBody.withCloseable { it.write(bytes) }
}
server.start()
System.properties['realm-release-libraries.server'] = server
System.properties['realm-release-libraries.requests'] = requests
def url = "http://127.0.0.1:${server.address.port}"
new File(basedir, 'kubeconfig.yaml').text = """apiVersion: v1
kind: Config
clusters:
- name: "it"
  cluster:
    server: ${url}
users:
- name: "it"
  user:
    token: it-token
contexts:
- name: "it-staging"
  context: {cluster: "it", user: "it", namespace: staging}
- name: "it-prod"
  context: {cluster: "it", user: "it", namespace: prod}
current-context: "it-staging"
"""
return true
