import groovy.json.JsonSlurper

def registry = new File(basedir, 'registry.address').text.trim()
def first = new File(basedir, 'build.log').text
def second = new File(basedir, 'build2.log').text

// first build: every hub pushed its own image
['hub-a', 'hub-b', 'hub-c'].each { hub ->
  assert first.contains("Built image ${registry}/it/${hub}@sha256:") : first
}
assert !first.contains('already exists (inputs unchanged)') : first

// second build: only hub-b's inputs changed
['hub-a', 'hub-c'].each { hub ->
  assert second =~ /Image ${java.util.regex.Pattern.quote(registry)}\/it\/${hub}:h[0-9a-f]{16} already exists \(inputs unchanged\): skipping build and push/ : second
}
assert !(second =~ /Image ${java.util.regex.Pattern.quote(registry)}\/it\/hub-b:h[0-9a-f]{16} already exists/) : second
assert second.contains("layer '") && second =~ /layer 'notebooks-changed -> \/home\/jovyan\/notebooks': uploaded/ : second
assert second.contains('BUILD SUCCESS')

// each module's image.json names its own repository: no state crossed between the parallel modules
['hub-a', 'hub-b', 'hub-c'].each { hub ->
  def image = new JsonSlurper().parse(new File(basedir, "${hub}/target/datahub/image.json"))
  assert image.repository == "${registry}/it/${hub}"
  def c = new URL("http://${registry}/v2/it/${hub}/manifests/${image.hashTag}").openConnection()
  c.setRequestProperty('Accept', 'application/vnd.docker.distribution.manifest.v2+json')
  assert c.responseCode == 200
  assert c.getHeaderField('Docker-Content-Digest') == image.digest
}
return true
