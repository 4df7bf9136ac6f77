def server = System.properties.remove('realm-release-libraries.server')
def requests = System.properties.remove('realm-release-libraries.requests')
server?.stop(0)

// 1: Maven's debug log lists the jars of each class realm it populates ("Populating class realm plugin>…" then
// "Included: …" lines). build-image's realm: the plugin's own dependencies, none of the release libraries.
def log = new File(basedir, 'build.log').text
def realm = log.readLines().dropWhile { !it.contains('Populating class realm plugin>dev.datahub:datahub-maven-plugin') }
assert !realm.isEmpty() : 'no "Populating class realm plugin>dev.datahub:datahub-maven-plugin" in the -X log'
def included = realm.drop(1).takeWhile { it.contains('Included: ') }.collect { it.substring(it.indexOf('Included: ') + 10) }
assert included.any { it.startsWith('com.google.cloud.tools:jib-core:') } : included
def theirs = included.findAll { it ==~ /(io\.fabric8|com\.marcnuri\.helm-java|io\.vertx|io\.netty|net\.java\.dev\.jna|org\.yaml|org\.snakeyaml):.*/ }
assert theirs.isEmpty() : "build-image's plugin realm holds release libraries: ${theirs}"
assert new File(basedir, 'target/datahub/image.tar').isFile()
println "build-image's plugin realm: ${included.size()} jars, none of helm-java or the Kubernetes client"

// 2: status read both environments through the Kubernetes client (Vert.x) that it added to the realm
def status = new File(basedir, 'status.log').text
assert !status.contains('NoClassDefFoundError') && !status.contains('ClassNotFoundException') : status
assert status.contains('BUILD SUCCESS') : status
assert requests.any { it.contains('/namespaces/staging/') } && requests.any { it.contains('/namespaces/prod/') } : requests
assert !status.contains('unavailable') : status
// 3: offline (-o), from the local repository
def offline = new File(basedir, 'status-offline.log').text
assert offline.contains('BUILD SUCCESS') && !offline.contains('unavailable') : offline
// both runs read "no release" from the API in both environments (unreachable would say "unavailable")
[status, offline].each { assert it =~ /realm-release-libraries +NOT-INSTALLED +- +NOT-INSTALLED/ : it }
println "status asked the Kubernetes API: ${requests}"
assert new File(basedir, 'target/datahub/release/status.json').isFile()
return true
