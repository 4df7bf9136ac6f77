package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.HandWrittenBase;
import dev.datahub.fixtures.ImageReader;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.Python3;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.ContentMapping;
import dev.datahub.image.ImageLayer;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.ManifestLayers;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python layout read from real base images in a registry: a Debian bookworm-like base
 * ({@code /usr/bin/python3}, Debian's packages as {@code .egg-info} in {@code /usr/lib/python3/dist-packages},
 * {@code /usr/local/lib/python3.11/dist-packages} root:staff 2775, glibc 2.36, {@code /home/jovyan}
 * 1000:100 2775) and a docker-stacks-like conda base. The documented defaults are used unchanged; the
 * built image is read back from the registry, unpacked and imported with Debian's python3.
 */
class BaseLayoutImageTest {

  private static final String DIST = "/usr/local/lib/python3.11/dist-packages";
  private static final String SP = "/opt/conda/lib/python3.11/site-packages";

  static LocalRegistry registry;
  static String debian;
  static String conda;

  @TempDir Path work;

  @BeforeAll
  static void pushBases() throws IOException {
    registry = LocalRegistry.start();
    byte[] libc = "\u007fELF\0GLIBC_2.2.5\0GLIBC_2.36\0GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    debian = HandWrittenBase.create()
        .dir("/usr", 0755, 0, 0).dir("/usr/bin", 0755, 0, 0)
        .file("/usr/bin/python3.11", "not really python".getBytes(), 0755, 0, 0)
        .symlink("/usr/bin/python3", "python3.11")
        .dir("/usr/lib", 0755, 0, 0).dir("/usr/lib/x86_64-linux-gnu", 0755, 0, 0)
        .file("/usr/lib/x86_64-linux-gnu/libc.so.6", libc, 0755, 0, 0)
        .dir("/usr/lib/python3.11", 0755, 0, 0)
        .dir("/usr/lib/python3", 0755, 0, 0).dir("/usr/lib/python3/dist-packages", 0755, 0, 0)
        .dir("/usr/lib/python3/dist-packages/greet_util", 0755, 0, 0)
        .file("/usr/lib/python3/dist-packages/greet_util/__init__.py", "def greet(name):\n    return 'debian ' + name\n")
        .dir("/usr/lib/python3/dist-packages/greet_util-1.2.0.egg-info", 0755, 0, 0)
        .file("/usr/lib/python3/dist-packages/greet_util-1.2.0.egg-info/PKG-INFO",
            "Metadata-Version: 2.1\nName: greet-util\nVersion: 1.2.0\n")
        .dir("/usr/local", 0755, 0, 0).dir("/usr/local/bin", 0755, 0, 0).dir("/usr/local/lib", 0755, 0, 0)
        .dir("/usr/local/lib/python3.11", 02775, 0, 50).dir(DIST, 02775, 0, 50)
        .nextLayer()
        .dir("/home", 0755, 0, 0).dir("/home/jovyan", 02775, 1000, 100)
        .push(registry, "base/bookworm:1");
    byte[] jammy = "\0GLIBC_2.35\0GNU C Library (Ubuntu GLIBC 2.35-0ubuntu3.8) stable release version 2.35.\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    conda = HandWrittenBase.create()
        .dir("/usr", 0755, 0, 0).dir("/usr/lib", 0755, 0, 0).dir("/usr/lib/x86_64-linux-gnu", 0755, 0, 0)
        .file("/usr/lib/x86_64-linux-gnu/libc.so.6", jammy, 0755, 0, 0)
        .dir("/opt", 0755, 0, 0).dir("/opt/conda", 02775, 1000, 100).dir("/opt/conda/bin", 02775, 1000, 100)
        .file("/opt/conda/bin/python3.11", "not really python".getBytes(), 0755, 1000, 100)
        .symlink("/opt/conda/bin/python", "python3.11")
        .dir("/opt/conda/lib", 02775, 1000, 100).dir("/opt/conda/lib/python3.11", 02775, 1000, 100)
        .dir(SP, 02775, 1000, 100)
        .dir("/home", 0755, 0, 0).dir("/home/jovyan", 02775, 1000, 100)
        .push(registry, "base/stacks:1");
  }

  @AfterAll
  static void stopRegistry() throws IOException {
    registry.close();
  }

  private ImageSpec image(String from, String repository) throws IOException {
    Path hub = work.resolve("hub");
    Files.createDirectories(hub.resolve("examples"));
    Files.writeString(hub.resolve("examples/intro.ipynb"), "{}\n");
    return new ImageSpec(from, registry.host() + "/" + repository, List.of(), "Docker",
        List.of(new ContentMapping(Path.of("examples"), "/srv/datahub/examples", null, null, null)), List.of(),
        Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), hub,
        hub.resolve("target/datahub"), work.resolve("jib-cache"), "test");
  }

  /** hello 2.0 (needs greet-util, which only the base has), with the documented defaults. */
  private PythonSpec helloLock(String sitePackages) throws IOException {
    Path wheels = Files.createDirectories(work.resolve("wheels"));
    Path hello = PythonRepo.hello("2.0").writeTo(wheels);
    Path lock = LockWriter.lock().pin("hello", "2.0", List.of(hello)).writeTo(work.resolve("hub/requirements.lock"));
    return new PythonSpec(lock, "none", wheels, null, null, null, sitePackages, null, null, null,
        work.resolve("wheel-cache"), work.resolve("hub/target/datahub/python"), 0);
  }

  private static BuiltImage build(ImageSpec image, PythonSpec python, CapturingLog log) {
    List<ImageLayer> layers = PythonImageLayers.forImage(image, python, RegistryCredential.Lookup.none(), log);
    return new SingleUserImage(RegistryCredential.Lookup.none(), log).build(image.withExtraLayers(layers));
  }

  @Test
  void debianBaseGetsPackagesInUsrLocalDistPackagesForItsPython() throws Exception {
    CapturingLog log = new CapturingLog();
    BuiltImage image = build(image(debian, "hub/debian"), helloLock(null), log);
    assertTrue(log.contains("/usr/bin/python3 (Python 3.11, glibc 2.36 x86_64)"), log.text());
    assertTrue(log.contains("manylinux_2_36_x86_64"), log.text());

    ImageReader reader = new ImageReader(registry.api(), "hub/debian", image.digest());
    ManifestLayers manifest = reader.manifest();
    assertEquals(2 + 1 + 1, manifest.layers().size(),
        "two base layers, hello, the examples — greet-util is the base's (an .egg-info) and not installed again");
    Map<String, ImageReader.Entry> hello = reader.layer(2);
    assertEquals("#!/usr/bin/python3", hello.get("usr/local/bin/hello").content().lines().findFirst().orElseThrow(),
        "the script names the base's interpreter");
    assertEquals(0755, hello.get("usr/local/bin/hello").mode());
    assertTrue(hello.containsKey(DIST.substring(1) + "/hello/__init__.py"), hello.keySet().toString());
    assertEntry(hello, DIST.substring(1), 02775, "0:50");
    assertEntry(hello, "usr/local/lib/python3.11", 02775, "0:50");
    assertEntry(hello, "usr/local/bin", 0755, "0:0");
    assertEntry(hello, "usr", 0755, "0:0");
    assertFalse(hello.keySet().stream().anyMatch(p -> p.startsWith("opt/")), "nothing under /opt/conda");
    Map<String, ImageReader.Entry> examples = reader.layer(3);
    assertEntry(examples, "srv", 0755, "0:0");
    assertEntry(examples, "srv/datahub/examples", 0755, "0:0");

    // the image as a container sees it: hello 2.0 from /usr/local, greet-util from Debian's dist-packages
    Path root = unpack("hub/debian", manifest, work.resolve("rootfs"));
    Python3.Run run = Python3.run(root.resolve(DIST.substring(1)), "-c", "import sys; sys.path.append('"
        + root.resolve("usr/lib/python3/dist-packages") + "'); import hello.cli, importlib.metadata as m; hello.cli.main();"
        + " print(m.version('hello'), m.version('greet-util'))");
    assertEquals(0, run.exitCode(), run.output());
    assertEquals("hello-cli 2.0: debian world\n2.0 1.2.0", run.output());
  }

  @Test
  void anExplicitSitePackagesTheBaseLacksFailsBeforeAnythingIsPushed() throws Exception {
    long mark = registry.mark();
    DataHubException e = assertThrows(DataHubException.class,
        () -> build(image(debian, "hub/wrong"), helloLock(SP), new CapturingLog()));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith("<sitePackages> " + SP + " is not in base image " + debian + " — it has "
        + "/usr/bin/python3 (Python 3.11) with " + DIST + " and /usr/lib/python3/dist-packages"), e.getMessage());
    assertEquals(List.of(), registry.blobUploadsSince(mark));
  }

  @Test
  void condaBaseKeepsTodaysLayersAndDigestAndItsSetgidBits() throws Exception {
    Path wheels = Files.createDirectories(work.resolve("wheels"));
    Path hello = PythonRepo.hello("2.0").writeTo(wheels);
    Path greet = PythonRepo.greetUtil().writeTo(wheels);
    Path lock = LockWriter.lock().pin("hello", "2.0", List.of(hello)).pin("greet-util", "1.2.0", List.of(greet))
        .writeTo(work.resolve("hub/requirements.lock"));
    PythonSpec defaults = new PythonSpec(lock, "none", wheels, null, null, null, null, null, null, null,
        work.resolve("wheel-cache"), work.resolve("hub/target/datahub/python"), 0);
    // today's defaults written out: what a build used before the base was read
    PythonSpec todays = new PythonSpec(lock, "none", wheels, "3.11", "cp311", PythonSpec.DEFAULT_PLATFORMS, SP,
        "/opt/conda/bin", "/opt/conda/bin/python", null, work.resolve("wheel-cache"),
        work.resolve("hub/target/datahub/python"), 0);
    BuiltImage read = build(image(conda, "hub/conda-a"), defaults, new CapturingLog());
    BuiltImage written = build(image(conda, "hub/conda-b"), todays, new CapturingLog());
    assertEquals(written.digest(), read.digest(), "the same image whether the layout is read or written out");

    ImageReader reader = new ImageReader(registry.api(), "hub/conda-a", read.digest());
    Map<String, ImageReader.Entry> helloLayer = reader.layer(2);
    assertEntry(helloLayer, SP.substring(1), 02775, "1000:100");
    assertEntry(helloLayer, "opt/conda/bin", 02775, "1000:100");
    assertEquals("#!/opt/conda/bin/python", helloLayer.get("opt/conda/bin/hello").content().lines().findFirst().orElseThrow());
    assertEquals(1000L, helloLayer.get(SP.substring(1) + "/hello/__init__.py").uid());
  }

  private static void assertEntry(Map<String, ImageReader.Entry> layer, String path, int mode, String owner) {
    ImageReader.Entry e = layer.get(path);
    assertTrue(e != null, path + " in " + layer.keySet());
    assertEquals(Integer.toOctalString(mode), Integer.toOctalString(e.mode()), "mode of " + path);
    assertEquals(owner, e.uid() + ":" + e.gid(), "owner of " + path);
  }

  /** Applies the layers to a directory as a runtime would (files and directories; the test base has no whiteouts). */
  private static Path unpack(String repository, ManifestLayers manifest, Path root) throws IOException {
    for (ManifestLayers.Blob layer : manifest.layers()) {
      try (InputStream in = registry.api().blob(repository, layer.digest());
           TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          Path target = root.resolve(e.getName().replaceFirst("^/", "")).normalize();
          if (e.isDirectory()) {
            Files.createDirectories(target);
          } else if (e.isFile()) {
            Files.createDirectories(target.getParent());
            Files.write(target, tar.readAllBytes());
          }
        }
      }
    }
    return root;
  }
}
