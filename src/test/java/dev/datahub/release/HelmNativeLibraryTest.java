package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.jni.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm-java's native library is extracted once per version into a cache directory, never into the temp dir. */
class HelmNativeLibraryTest {

  @Test
  void helmJavaPicksThePluginsProvider() {
    assertInstanceOf(HelmNativeLibrary.class, NativeLibrary.getInstance(),
        "the plugin's META-INF/services entry comes first, so helm-java loads the cached library");
  }

  @Test
  void extractedOnceAtomicallyAndKilledExtractionsAreCleanedUp(@TempDir Path cache) throws Exception {
    List<String> tempBefore = helmJavaTempDirs();
    HelmNativeLibrary library = new HelmNativeLibrary();
    assertTrue(library.version().startsWith("0.0.21-"), library.version());
    Path dir = cache.resolve(library.version());
    Files.createDirectories(dir);
    Path killed = dir.resolve(library.getBinaryName() + ".123.partial");
    Files.writeString(killed, "half a library");
    Files.setLastModifiedTime(killed, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

    Path first = library.extracted(dir);
    assertEquals(dir.resolve(library.getBinaryName()), first);
    assertTrue(Files.size(first) > 50_000_000, "the whole library");
    assertFalse(Files.exists(killed), "an interrupted extraction's leftover is removed");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(first), files.toList(), "nothing but the library");
    }

    FileTime written = Files.getLastModifiedTime(first);
    Files.setLastModifiedTime(first, FileTime.fromMillis(written.toMillis() - 10_000));
    FileTime marked = Files.getLastModifiedTime(first);
    assertEquals(first, new HelmNativeLibrary().extracted(dir));
    assertEquals(marked, Files.getLastModifiedTime(first), "a second JVM reuses the file, no copy");
    assertEquals(tempBefore, helmJavaTempDirs(), "nothing extracted into " + System.getProperty("java.io.tmpdir"));
  }

  private static List<String> helmJavaTempDirs() throws Exception {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("helm-java")).sorted().toList();
    }
  }
}
