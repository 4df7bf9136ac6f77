package dev.datahub.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.ImageReader;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.Python3;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.ContentMapping;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.ManifestLayers;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path: a base image in a real registry that has {@code hello 1.0}, a lock that pins
 * {@code hello 2.0}, build-image with the Python layers, and the pushed image unpacked layer by
 * layer (whiteouts applied) and run with Debian's python3.
 */
class PythonImageLayersTest {

  private static final String SP = "/opt/conda/lib/python3.11/site-packages";

  @TempDir Path work;

  @Test
  void lockedPackageReplacesTheBaseVersionInThePushedImage() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String base = pushBaseWithHello1(registry);

      Path wheels = Files.createDirectories(work.resolve("wheels"));
      Path hello2 = PythonRepo.hello("2.0").writeTo(wheels);
      Path greet = PythonRepo.greetUtil().writeTo(wheels);
      Path lock = LockWriter.lock().pin("hello", "2.0", List.of(hello2)).pin("greet-util", "1.2.0", List.of(greet))
          .writeTo(work.resolve("hub/requirements.lock"));

      Path hub = work.resolve("hub");
      Files.createDirectories(hub.resolve("notebooks"));
      Files.writeString(hub.resolve("notebooks/a.ipynb"), "{}\n");
      ImageSpec spec = new ImageSpec(base, registry.host() + "/hub/python", List.of(), "Docker",
          List.of(new ContentMapping(Path.of("notebooks"), "/home/jovyan/notebooks", null, null, "1000:100")), List.of(),
          Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), hub,
          hub.resolve("target/datahub"), work.resolve("cache"), "test");
      PythonSpec python = new PythonSpec(lock, "none", wheels, null, null, null, null, null, null, null,
          work.resolve("wheel-cache"), hub.resolve("target/datahub/python"), 0);

      CapturingLog log = new CapturingLog();
      List<dev.datahub.image.ImageLayer> layers =
          PythonImageLayers.forImage(spec, python, RegistryCredential.Lookup.none(), log);
      BuiltImage image = new SingleUserImage(RegistryCredential.Lookup.none(), log).build(spec.withExtraLayers(layers));

      Path root = Files.createDirectories(work.resolve("rootfs"));
      ImageReader reader = new ImageReader(registry.api(), "hub/python", image.digest());
      ManifestLayers manifest = reader.manifest();
      assertEquals(1 + 2 + 1, manifest.layers().size(), "base + one layer per package + notebooks");
      for (ManifestLayers.Blob layer : manifest.layers()) {
        try (InputStream in = registry.api().blob("hub/python", layer.digest())) {
          unpack(in, root);
        }
      }
      Path sitePackages = root.resolve(SP.substring(1));
      Python3.Run run = Python3.run(sitePackages, "-c",
          "import hello, importlib.metadata as m; print(hello.__version__, m.version('hello'), "
              + "len([d for d in m.distributions() if d.metadata['Name'] == 'hello']))");
      assertEquals(0, run.exitCode(), run.output());
      assertEquals("2.0 2.0 1", run.output(), "one hello distribution, the locked one");
      Python3.Run stale = Python3.run(sitePackages, "-c", "import hello.old_only");
      assertNotEquals(0, stale.exitCode(), "the old version's module is gone: " + stale.output());
      assertTrue(stale.output().contains("ModuleNotFoundError"), stale.output());

      // the Python layer keeps the base's directory owner (jovyan) instead of root:root
      Map<String, ImageReader.Entry> helloLayer = null;
      for (int i = 1; i < manifest.layers().size(); i++) {
        Map<String, ImageReader.Entry> entries = reader.layer(i);
        if (entries.containsKey(SP.substring(1) + "/hello/__init__.py")) {
          helloLayer = entries;
        }
      }
      assertTrue(helloLayer != null, "a layer holds hello");
      ImageReader.Entry dir = helloLayer.get(SP.substring(1));
      assertEquals(1000L, dir.uid());
      assertEquals(100L, dir.gid());
      assertEquals(0775, dir.mode(), "the base's mode of site-packages");
      assertEquals(1000L, helloLayer.get(SP.substring(1) + "/hello/__init__.py").uid());
      assertEquals(0L, helloLayer.get("opt").uid(), "/opt stays root's as in the base");

      // a rebuild with nothing changed is one registry check; no blob is read from the base again (cached scan)
      long mark = registry.mark();
      List<dev.datahub.image.ImageLayer> again =
          PythonImageLayers.forImage(spec, python, RegistryCredential.Lookup.none(), new CapturingLog());
      BuiltImage second = new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog())
          .build(spec.withExtraLayers(again));
      assertEquals(image.digest(), second.digest());
      assertTrue(second.reusedExisting());
      assertFalse(registry.requestsSince(mark).stream().anyMatch(r -> r.contains("/blobs/")),
          "no blob traffic: " + registry.requestsSince(mark));
    }
  }

  /** A base image with hello 1.0 in site-packages (with an extra module that 2.0 lacks), owned by jovyan. */
  private String pushBaseWithHello1(LocalRegistry registry) throws IOException {
    Path project = work.resolve("base");
    Path sp = project.resolve("rootfs" + SP);
    Files.createDirectories(sp.resolve("hello"));
    Files.createDirectories(sp.resolve("hello-1.0.dist-info"));
    Files.writeString(sp.resolve("hello/__init__.py"), "__version__ = \"1.0\"\n");
    Files.writeString(sp.resolve("hello/old_only.py"), "OLD = True\n");
    Files.writeString(sp.resolve("hello-1.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: hello\nVersion: 1.0\n");
    Files.writeString(sp.resolve("hello-1.0.dist-info/RECORD"), String.join("\n",
        "hello/__init__.py,,", "hello/old_only.py,,", "hello-1.0.dist-info/METADATA,,", "hello-1.0.dist-info/RECORD,,", ""));
    String to = registry.host() + "/base/conda:1";
    ImageSpec spec = new ImageSpec(SingleUserImage.SCRATCH, to, List.of(), "Docker",
        List.of(new ContentMapping(Path.of("rootfs/opt/conda"), "/opt/conda", null, "775", "1000:100")), List.of(), Map.of(),
        Map.of(), null, null, null, null, true, false, Set.of(registry.host()), project, project.resolve("target"),
        work.resolve("base-cache"), "test");
    new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec);
    return to;
  }

  /** Applies one layer tar to a root directory as a container runtime would (whiteouts delete). */
  private static void unpack(InputStream blob, Path root) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(blob))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String name = e.getName().replaceFirst("^/", "");
        Path target = root.resolve(name).normalize();
        String file = target.getFileName().toString();
        if (file.startsWith(".wh.")) {
          Path removed = target.resolveSibling(file.substring(4));
          if (Files.exists(removed)) {
            try (Stream<Path> walk = Files.walk(removed)) {
              walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
          }
        } else if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.write(target, tar.readAllBytes());
        }
      }
    }
  }

}
