import groovy.json.JsonSlurper

def registry = new File(basedir, 'registry.address').text.trim()
def image = new JsonSlurper().parse(new File(basedir, 'target/datahub/image.json'))
assert image.pushed == true

// the image is in the registry, readable only with the credentials
def c = new URL("http://${registry}/v2/it/hub/manifests/${image.hashTag}").openConnection()
c.setRequestProperty('Accept', 'application/vnd.docker.distribution.manifest.v2+json')
c.setRequestProperty('Authorization', 'Basic ' + 'it:it-registry-pass'.bytes.encodeBase64().toString())
assert c.responseCode == 200
assert c.getHeaderField('Docker-Content-Digest') == image.digest

// even the debug log (-X) never shows the password
def log = new File(basedir, 'build.log').text
assert !log.contains('it-registry-pass') : 'password leaked into the build log'
return true
