import groovy.json.JsonSlurper

def out = new File(basedir, 'target/datahub')
def tar = new File(out, 'image.tar')
assert tar.isFile() && tar.length() > 0 : "no image.tar"
def image = new JsonSlurper().parse(new File(out, 'image.json'))
assert image.digest ==~ /sha256:[0-9a-f]{64}/
assert image.pushed == false
assert image.repository == 'datahub/singleuser'
assert new File(out, 'image.digest').text.trim() == image.digest

// the tarball is in `docker save` format: manifest.json names the image with the hash tag
def listing = ['tar', '-tf', tar.path].execute().text
assert listing.contains('manifest.json') : listing
def manifest = ['tar', '-xOf', tar.path, 'manifest.json'].execute().text
assert manifest.contains("datahub/singleuser:${image.hashTag}") : manifest

def log = new File(basedir, 'build.log').text
assert log.contains('load it with \'docker load -i')
return true
