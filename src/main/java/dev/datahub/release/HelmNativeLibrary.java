package dev.datahub.release;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Words;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * helm-java's native library (~98 MB), extracted once per helm-java version into a cache directory
 * and reused by every later JVM, instead of into a new temp directory per JVM.
 *
 * <p>helm-java 0.0.21 has no property or environment variable naming an extracted library: its
 * {@code NativeLibrary.getInstance()} takes the first {@code NativeLibrary} service provider of the
 * context class loader, and the interface's default {@code load()} copies the library into
 * {@code Files.createTempDirectory("helm-java")} with {@code deleteOnExit} — left behind when the JVM
 * is killed. This provider (listed in META-INF/services, so the plugin's own jar offers it first)
 * overrides {@code load()}: the platform provider's library is copied to a temp file inside the
 * cache directory and renamed into place atomically, so an interrupted run leaves at most a
 * {@code .partial} file there (removed by the next extraction) and nothing in the temp directory.
 * Cache: {@code $XDG_CACHE_HOME/datahub/helm-java/<version>/} or {@code ~/.cache/datahub/...};
 * system property {@code datahub.helmJava.cache} overrides the root.
 */
public final class HelmNativeLibrary implements NativeLibrary {

  private final NativeLibrary platform;

  public HelmNativeLibrary() {
    this.platform = platformProvider();
  }

  @Override
  public String getBinaryName() {
    return platform.getBinaryName();
  }

  @Override
  public HelmLib load() {
    Path library = extracted(cacheRoot().resolve(version()));
    HelmLib lib = Native.load(library.toString(), HelmLib.class);
    Runtime.getRuntime().addShutdownHook(new Thread(lib::RepoServerStopAll, "helm-java-repo-servers"));
    return lib;
  }

  /** The library in {@code dir}, extracted first if absent. */
  Path extracted(Path dir) {
    Path target = dir.resolve(getBinaryName());
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Files.createDirectories(dir);
      removePartials(dir);
      Path partial = Files.createTempFile(dir, getBinaryName() + ".", ".partial");
      try (InputStream in = platform.getClass().getResourceAsStream("/" + getBinaryName())) {
        if (in == null) {
          throw new IllegalStateException("helm-java's native library " + getBinaryName() + " is not on the class path"
              + " — add the com.marcnuri.helm-java platform dependency for this machine");
        }
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
      return target;
    } catch (IOException e) {
      throw new DataHubException(Words.of("cannot extract helm-java's native library into " + dir + ": " + e.getMessage()
          + " — make the directory writable or set {} to a writable one", Fix.property("datahub.helmJava.cache", null)), e);
    }
  }

  /** Leftovers of extractions that were killed; a concurrent extraction's file is younger than a minute. */
  private static void removePartials(Path dir) throws IOException {
    long cutoff = System.currentTimeMillis() - 60_000;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(".partial") && Files.getLastModifiedTime(p).toMillis() < cutoff) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static Path cacheRoot() {
    String property = System.getProperty("datahub.helmJava.cache");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("datahub").resolve("helm-java");
  }

  /** helm-java's version from the platform jar's Maven metadata; the library's size when that is missing. */
  String version() {
    Class<?> type = platform.getClass();
    for (String artifact : new String[] {"linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"}) {
      try (InputStream in = type.getResourceAsStream("/META-INF/maven/com.marcnuri.helm-java/" + artifact
          + "/pom.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          return p.getProperty("version", "unknown") + "-" + artifact;
        }
      } catch (IOException e) {
        // try the next name
      }
    }
    return "unversioned-" + type.getName();
  }

  private static NativeLibrary platformProvider() {
    ClassLoader loader = HelmNativeLibrary.class.getClassLoader();
    // providers are instantiated only when not this class (instantiating this one would recurse)
    return ServiceLoader.load(NativeLibrary.class, loader).stream()
        .filter(provider -> provider.type() != HelmNativeLibrary.class)
        .map(ServiceLoader.Provider::get)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no helm-java platform library on the class path — add the"
            + " com.marcnuri.helm-java dependency for this machine's platform"));
  }
}
