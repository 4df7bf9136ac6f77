package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a base image's files from a real registry, whiteouts applied, with a cache. */
class BaseImageLayersTest {

  private static final String SP = "/opt/conda/lib/python3.11/site-packages";

  @Test
  void mergedViewHonoursWhiteoutsAndIsCached(@TempDir Path project, @TempDir Path cache) throws IOException {
    try (LocalRegistry registry = LocalRegistry.start()) {
      Path lower = project.resolve("lower" + SP);
      Files.createDirectories(lower.resolve("foo-1.0.dist-info"));
      Files.createDirectories(lower.resolve("bar-2.0.dist-info"));
      Files.writeString(lower.resolve("foo-1.0.dist-info/METADATA"), "Name: foo\nVersion: 1.0\n");
      Files.writeString(lower.resolve("bar-2.0.dist-info/METADATA"), "Name: bar\nVersion: 2.0\n");
      Files.writeString(lower.resolve("bar.py"), "x = 1\n");
      Path upper = project.resolve("upper");
      Files.createDirectories(upper);
      Files.writeString(upper.resolve(".wh.bar-2.0.dist-info"), "");
      Files.writeString(upper.resolve("baz.txt"), "not wanted\n");

      ImageSpecs spec = new ImageSpecs(project);
      spec.to = registry.host() + "/base/python:1";
      spec.insecure = Set.of(registry.host());
      spec.content("lower/opt", "/opt");
      spec.content("upper", SP);
      new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec.build());

      BaseImageLayers base = BaseImageLayers.open(spec.to, Set.of(registry.host()), RegistryCredential.Lookup.none(), cache);
      assertEquals(2, base.layerCount());
      BaseImageLayers.Contents contents = base.scan("dist-info", p -> p.startsWith(SP) && p.contains(".dist-info/"),
          p -> p.equals("/opt") || p.equals(SP));
      assertEquals(Map.of(SP + "/foo-1.0.dist-info/METADATA", "Name: foo\nVersion: 1.0\n"), contents.files());
      assertEquals(Set.of("/opt", SP), contents.directories().keySet());
      assertEquals(new BaseImageLayers.Directory(0755, "0:0"), contents.directories().get("/opt"));

      long mark = registry.mark();
      BaseImageLayers.Contents again = BaseImageLayers.open(spec.to, Set.of(registry.host()),
          RegistryCredential.Lookup.none(), cache).scan("dist-info", p -> false, p -> false);
      assertEquals(contents, again, "same cache key: the cached scan is returned");
      List<String> blobReads = registry.requestsSince(mark).stream().filter(r -> r.contains("/blobs/")).toList();
      assertEquals(List.of(), blobReads, "second read comes from the cache");
    }
  }

  @Test
  void opaqueDirectoriesSymlinksAndModesAsTheContainerSeesThem(@TempDir Path cache) throws IOException {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String base = dev.datahub.fixtures.HandWrittenBase.create()
          .dir("/opt", 0755, 0, 0).dir("/opt/a", 0755, 0, 0).file("/opt/a/old.txt", "old\n")
          .dir("/opt/a/sub", 0700, 0, 0).dir("/opt/b", 01777, 0, 0).symlink("/opt/link", "a/old.txt")
          .nextLayer()
          .file("/opt/a/.wh..wh..opq", "").file("/opt/a/new.txt", "new\n").file("/opt/.wh.b", "")
          .dir("/opt/a", 02775, 1000, 100)
          .push(registry, "base/opaque:1");
      BaseImageLayers.Contents contents = BaseImageLayers.open(base, Set.of(registry.host()),
          RegistryCredential.Lookup.none(), cache).scan("opaque", p -> p.startsWith("/opt/"),
          BaseImageLayers.ALL_DIRECTORIES, p -> p.startsWith("/opt/"), (p, bytes) -> "read " + bytes.length);
      assertEquals(Map.of("/opt/a/new.txt", "read 4"), contents.files());
      assertEquals(Map.of("/opt", new BaseImageLayers.Directory(0755, "0:0"),
          "/opt/a", new BaseImageLayers.Directory(02775, "1000:100")), contents.directories());
      assertEquals(Map.of("/opt/link", "a/old.txt", "/opt/a/new.txt", ""), contents.entries());
      long mark = registry.mark();
      assertEquals(contents.directories(), BaseImageLayers.open(base, Set.of(registry.host()),
          RegistryCredential.Lookup.none(), cache).directories(), "every directory, shared with the earlier scan");
      assertEquals(List.of(), registry.requestsSince(mark).stream().filter(r -> r.contains("/blobs/")).toList());
    }
  }

  @Test
  void missingBaseIsAClearError(@TempDir Path cache) throws IOException {
    try (LocalRegistry registry = LocalRegistry.start()) {
      DataHubException e = assertThrows(DataHubException.class, () -> BaseImageLayers.open(
          registry.host() + "/nothing:1", Set.of(registry.host()), RegistryCredential.Lookup.none(), cache));
      assertTrue(e.getMessage().contains("not found — check <from>"), e.getMessage());
    }
  }
}
