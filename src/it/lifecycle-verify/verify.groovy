def log = new File(basedir, 'build.log').text
// the phases ran in order, each bound by the datahub packaging
def at = { goal -> def m = log =~ /datahub-maven-plugin:[^:]+:${goal} \(default-${goal}\)/; m.find() ? m.start() : -1 }
def validate = at('validate')
def build = at('build-image')
def plan = at('plan')
assert validate >= 0 && build > validate && plan > build : log
assert log.contains('Skipping image-test (skip flag set)') : log
assert log.contains('valid image: 1 content mapping(s), base scratch')
assert log.contains('valid chart: helm lint passed')
assert log =~ /valid staging: chart renders offline for Kubernetes 1\.33\.0 .*; values match the chart's schema \(values\.schema\.json\)/
assert log =~ /valid prod: chart renders offline for Kubernetes 1\.33\.0 .*; values match the chart's schema \(values\.schema\.json\)/
assert log.contains('valid smoke-test: configuration and notebooks are valid')
assert new File(basedir, 'target/datahub/image.tar').isFile()
assert log.contains('Plan for staging')
// the full manifest, rendered offline: no kubeconfig read, no default cluster tried
assert new File(basedir, 'target/datahub/release/staging-manifest.yaml').text.contains('kind: Deployment')
assert !log.contains('localhost:8080')
assert !log.contains('placeholder-not-a-secret')
// helm lint and plan loaded Helm's native library through dev.datahub.release.HelmNativeLibrary inside Maven's plugin
// realm (helm-java takes the first NativeLibrary provider of the context class loader): extracted into the cache
// named by -Ddatahub.helmJava.cache, one version directory, no leftover .partial
def cache = new File(basedir, 'target/helm-java-cache')
def versions = cache.listFiles()
assert versions != null && versions.length == 1 : "no helm-java cache in ${cache}: helm-java's own provider was used"
def libraries = versions[0].listFiles().findAll { it.name ==~ /.*\.(so|dylib|dll)/ }
assert libraries.size() == 1 && libraries[0].length() > 10_000_000 : versions[0].listFiles()
assert !versions[0].listFiles().any { it.name.endsWith('.partial') }
return true
