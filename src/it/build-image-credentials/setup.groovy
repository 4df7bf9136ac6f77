// A registry behind htpasswd (user it, password it-registry-pass); the forked mvn gets a global settings.xml with a
// <server> whose id is the registry host and whose password is encrypted with settings-security.xml's master password.
def start = evaluate(new File(basedir, '../../../src/it/start-registry.groovy'))
def registry = start(basedir, 'it', 'it-registry-pass')
new File(basedir, 'global-settings.xml').text = """<settings>
  <servers>
    <server>
      <id>${registry}</id>
      <username>it</username>
      <password>{71CxuenRJg4Hfd9OyXfZlmv1me+tEKSJS6LwKGXXBiLaOvqOahMspMBArUFUfYYG}</password>
    </server>
  </servers>
</settings>
"""
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text =
    "-Dit.registry=${registry}\n-gs\n${basedir}/global-settings.xml\n-Dsettings.security=${basedir}/settings-security.xml\n"
return true
