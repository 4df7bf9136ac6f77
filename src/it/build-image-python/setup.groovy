// A registry for the push, and a tiny pure-Python wheel in wheels/ with its hash pinned in requirements.lock,
// the way 'pip-compile --generate-hashes' writes it.
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def start = evaluate(new File(basedir, '../../../src/it/start-registry.groovy'))
def registry = start(basedir)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dit.registry=${registry}\n"

def sha = { byte[] b -> MessageDigest.getInstance('SHA-256').digest(b) }
def b64 = { byte[] b -> Base64.urlEncoder.withoutPadding().encodeToString(b) }
def files = [
    'itpkg/__init__.py'            : "__version__ = '1.0'\n",
    'itpkg-1.0.dist-info/METADATA' : "Metadata-Version: 2.1\nName: itpkg\nVersion: 1.0\n",
    'itpkg-1.0.dist-info/WHEEL'    : "Wheel-Version: 1.0\nGenerator: it\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
]
def record = files.collect { path, text ->
  def bytes = text.getBytes('UTF-8')
  "${path},sha256=${b64(sha(bytes))},${bytes.length}"
}.join('\n') + '\nitpkg-1.0.dist-info/RECORD,,\n'
files['itpkg-1.0.dist-info/RECORD'] = record
def wheels = new File(basedir, 'wheels')
wheels.mkdirs()
def wheel = new File(wheels, 'itpkg-1.0-py3-none-any.whl')
new ZipOutputStream(new FileOutputStream(wheel)).withCloseable { zip ->
  files.each { path, text ->
    zip.putNextEntry(new ZipEntry(path))
    zip.write(text.getBytes('UTF-8'))
    zip.closeEntry()
  }
}
def hex = sha(wheel.bytes).encodeHex().toString()
new File(basedir, 'requirements.lock').text = "itpkg==1.0 \\\n    --hash=sha256:${hex}\n    # via -r requirements.in\n"
return true
