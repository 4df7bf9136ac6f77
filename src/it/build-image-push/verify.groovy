import groovy.json.JsonSlurper

def registry = new File(basedir, 'registry.address').text.trim()
def image = new JsonSlurper().parse(new File(basedir, 'target/datahub/image.json'))
assert image.pushed == true
assert image.repository == "${registry}/it/hub"
assert image.tags == [image.hashTag, 'staging']
assert !new File(basedir, 'target/datahub/image.tar').exists()

// read the manifest back from the registry, by the hash tag and by the extra tag
['staging', image.hashTag].each { tag ->
  def c = new URL("http://${registry}/v2/it/hub/manifests/${tag}").openConnection()
  c.setRequestProperty('Accept', 'application/vnd.docker.distribution.manifest.v2+json')
  assert c.responseCode == 200
  assert c.getHeaderField('Docker-Content-Digest') == image.digest
}

def first = new File(basedir, 'build.log').text
assert first.contains("layer 'notebooks -> /home/jovyan/notebooks': uploaded")
assert first.contains("Built image ${registry}/it/hub@${image.digest}")
def second = new File(basedir, 'build2.log').text
assert second.contains('already exists (inputs unchanged): skipping build and push') : second
return true
