// Replaces this stand-in project with examples/datahub-style as committed (its own target/ directories and any
// decrypted secrets left, so the IT sees what a fresh clone sees) and points it at the plugin version under test.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

Path it = basedir.toPath()
String version = (it.resolve('pom.xml').toFile().text =~ /<datahub-plugin.version>([^<]+)</)[0][1]
Path example = it.resolve('../../../examples/datahub-style').normalize()
assert Files.isDirectory(example) : "no ${example}"

def skipped = { Path rel ->
  rel.iterator().any { it.toString() == 'target' } ||
      (rel.toString().matches('hubs/[^/]+/secrets/[^/]+\\.yaml') && !rel.toString().endsWith('.example.yaml'))
}
Files.walk(example).withCloseable { paths ->
  paths.each { Path source ->
    Path rel = example.relativize(source)
    if (rel.toString().isEmpty() || skipped(rel)) {
      return
    }
    Path target = it.resolve(rel.toString())
    if (Files.isDirectory(source)) {
      Files.createDirectories(target)
    } else {
      Files.createDirectories(target.parent)
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES)
    }
  }
}
File pom = it.resolve('pom.xml').toFile()
pom.text = pom.text.replaceFirst('<datahub-plugin.version>[^<]+</datahub-plugin.version>',
    "<datahub-plugin.version>${version}</datahub-plugin.version>")
assert pom.text.contains('<module>hubs/stat20</module>') : 'the example parent pom was not copied'
return true
