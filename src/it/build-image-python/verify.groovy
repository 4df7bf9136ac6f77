import groovy.json.JsonSlurper

def registry = new File(basedir, 'registry.address').text.trim()
def image = new JsonSlurper().parse(new File(basedir, 'target/datahub/image.json'))
assert image.pushed == true

def c = new URL("http://${registry}/v2/it/python-hub/manifests/${image.digest}").openConnection()
c.setRequestProperty('Accept', 'application/vnd.docker.distribution.manifest.v2+json')
def manifest = new JsonSlurper().parse(c.inputStream)
assert manifest.layers.size() == 1 : 'one layer for the one package'

// the layer holds the package in site-packages, with an INSTALLER and a RECORD
def blob = new URL("http://${registry}/v2/it/python-hub/blobs/${manifest.layers[0].digest}").openStream().bytes
def listing = new File(basedir, 'layer.tar.gz')
listing.bytes = blob
def names = ['tar', '-tzf', listing.path].execute().text
['opt/conda/lib/python3.11/site-packages/itpkg/__init__.py',
 'opt/conda/lib/python3.11/site-packages/itpkg-1.0.dist-info/INSTALLER',
 'opt/conda/lib/python3.11/site-packages/itpkg-1.0.dist-info/RECORD'].each {
  assert names.contains(it) : "${it} missing in ${names}"
}
def log = new File(basedir, 'build.log').text
assert log.contains("layer 'python: itpkg 1.0': uploaded") : log
return true
