// mvn verify on the 3-hub example: every hub has its image (tarball, nothing pushed) and a staging plan rendered from
// the shared chart with its own values; datahub's image carries the locked wheel; the aggregator ran nothing; no
// secret value (the placeholders are registered as secrets) reached the log.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')

// datahub:validate (the packaging's validate phase) checked each hub offline, both environments, before any build
def count = { String s -> log.split(java.util.regex.Pattern.quote(s), -1).length - 1 }
assert count('valid chart: helm lint passed') == 3
assert count("valid staging: chart renders offline for Kubernetes 1.33.0") == 3
assert count("valid prod: chart renders offline for Kubernetes 1.33.0") == 3
assert count("values match the chart's schema (charts/jupyterhub/values.schema.json)") == 6
// the offline render reads no kubeconfig: Helm's engine never tries a default cluster
assert !log.contains('localhost:8080')
assert !log.contains('unable to retrieve resource list')
assert count('valid smoke-test: configuration and notebooks are valid') == 3
assert log.contains('valid python: 1 exact, hashed pins in requirements.lock')
assert log.indexOf('validate (default-validate) @ datahub') < log.indexOf('build-image (default-build-image) @ datahub')

// second invocation, datahub:plan from the command line: the aggregator skips, and a hub without its real
// (decrypted) secrets fails with the fix instead of falling back to the placeholders
assert log.contains('Skipping plan (skip flag set)')
assert log =~ /values file \S*hubs\/datahub\/secrets\/staging\.yaml does not exist/

def json = new JsonSlurper()
['datahub', 'data100', 'stat20'].each { hub ->
  def out = new File(basedir, "hubs/${hub}/target/datahub")
  def image = json.parse(new File(out, 'image.json'))
  assert image.repository == "registry.example.org/hubs/${hub}-user-image"
  assert image.digest ==~ /sha256:[0-9a-f]{64}/
  assert image.pushed == false
  assert new File(out, 'image.tar').length() > 0

  def imageConfig = json.parseText(readFromTar(new File(out, 'image.tar'), 'config.json'))
  assert imageConfig.config.Env.contains("DATAHUB_HUB=${hub}".toString()) : imageConfig.config.Env
  assert imageConfig.config.Labels['edu.example.hub'] == hub

  def plan = json.parse(new File(out, 'release/staging-plan.json'))
  assert plan.environment == 'staging'
  assert plan.chart == 'hub-1.4.0'
  assert plan.comparedWithCluster == false
  assert plan.kubeVersion.startsWith('1.33.0 (the default')
  assert plan.renderedResources.containsAll(['Deployment/hub', 'Deployment/proxy', 'Secret/hub', 'Ingress/jupyterhub'])
  assert !plan.secretPaths.isEmpty() : 'the placeholder secrets were not composed'
  // the secret values' fingerprint is keyed with the namespace's key: never a bare hash, none without a cluster
  assert plan.secretValuesHmac == null
  assert plan.manifest == null : 'the manifest goes to its own file, not into the JSON'
  def manifest = new File(out, 'release/staging-manifest.yaml').text
  assert manifest.contains('# Source: hub/charts/jupyterhub/templates/hub-deployment.yaml')
  assert manifest.contains("staging.${hub}.example.edu")
  assert !manifest.contains('placeholder-') : "secret value of ${hub} in the manifest"

  // never printed: the placeholder secret values of this hub
  ['proxy-token-use-openssl-rand-hex-32', 'smoke-test-token', 'oauth-client-secret'].each {
    assert !log.contains("placeholder-${hub}-staging-${it}") : "secret value of ${hub} in the log"
  }
}
// distinct hubs give distinct images and values
def digests = ['datahub', 'data100', 'stat20'].collect { json.parse(new File(basedir, "hubs/${it}/target/datahub/image.json")).digest }
assert digests.unique(false).size() == 3

// datahub:change-summary (the packaging's verify phase, after image-test): one Markdown summary for the reactor, at the
// root, written once, with a row per hub; no image test ran (skipped) and no diff.json was there to compare with
def changeSummary = new File(basedir, 'target/datahub/change-summary.md').text
def rows = changeSummary.readLines().findAll { it.startsWith('| ') && !it.startsWith('| hub |') }
assert rows.collect { it.split(/ \| /)[0].substring(2) } == ['datahub', 'data100', 'stat20'] : changeSummary
rows.each { row ->
  assert row.contains('| staging: chart hub-1.4.0, 7 resources, rendered offline (not compared with the cluster) |') : row
  assert row.endsWith('| did not run |') : row
}
assert count('Change summary: ') == 1
['datahub', 'data100', 'stat20'].each { hub ->
  assert !new File(basedir, "hubs/${hub}/target/datahub/change-summary.md").exists()
  ['proxy-token-use-openssl-rand-hex-32', 'smoke-test-token', 'oauth-client-secret'].each {
    assert !changeSummary.contains("placeholder-${hub}-staging-${it}") : "secret value of ${hub} in the change summary"
  }
}

// datahub's lock: one wheel layer with the package in site-packages
assert log.contains('python: 1 packages in 1 layers')
def datahubTar = new File(basedir, 'hubs/datahub/target/datahub/image.tar')
def layers = ['tar', '-tf', datahubTar.path].execute().text.readLines().findAll { it.endsWith('.tar.gz') }
def found = layers.any { layer ->
  def tmp = File.createTempFile('layer', '.tar.gz')
  tmp.bytes = extract(datahubTar, layer)
  def names = ['tar', '-tzf', tmp.path].execute().text
  tmp.delete()
  names.contains('site-packages/hubtools/__init__.py')
}
assert found : 'no layer holds hubtools'
return true

String readFromTar(File tar, String name) {
  new String(extract(tar, name), 'UTF-8')
}

byte[] extract(File tar, String name) {
  def p = ['tar', '-xOf', tar.path, name].execute()
  def bytes = p.inputStream.bytes
  p.waitFor()
  assert p.exitValue() == 0 : "${name} not in ${tar}"
  bytes
}
