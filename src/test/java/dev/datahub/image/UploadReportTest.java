package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build log counts only bytes the registry received: mounts and existing blobs are reported as such. */
class UploadReportTest {

  @Test
  void mountedAndPresentBlobsAreNotCountedAsUploaded(@TempDir Path project) throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      Files.createDirectories(project.resolve("base-a"));
      Files.writeString(project.resolve("base-a/a.txt"), "base layer a\n".repeat(100));
      Files.createDirectories(project.resolve("base-b"));
      Files.writeString(project.resolve("base-b/b.txt"), "base layer b\n".repeat(100));
      ImageSpecs base = new ImageSpecs(project);
      base.to = registry.host() + "/base/image:1";
      base.insecure = Set.of(registry.host());
      base.content("base-a", "/opt/a");
      base.content("base-b", "/opt/b");
      new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(base.build());

      Files.createDirectories(project.resolve("nb"));
      Files.writeString(project.resolve("nb/one.ipynb"), "{\"cells\": []}\n");
      List<String> first = build(registry, project, "app/one");
      List<String> second = build(registry, project, "app/two");

      for (List<String> log : List.of(first, second)) {
        assertEquals(2, log.stream().filter(l -> l.startsWith("base layer ") && l.contains(": mounted from the base's"
            + " repository, 0 bytes sent")).count(), "the registry mounted both base layers (201, no bytes): " + log);
        assertTrue(log.stream().noneMatch(l -> l.startsWith("base layer ") && l.contains("uploaded")), log.toString());
      }
      String content = second.stream().filter(l -> l.startsWith("layer '")).findFirst().orElseThrow();
      long contentBytes = Long.parseLong(content.replaceAll(".*uploaded (\\d+) bytes.*", "$1"));
      String total = second.stream().filter(l -> l.startsWith("Uploaded ")).findFirst().orElseThrow();
      assertTrue(total.startsWith("Uploaded 2 blob(s), "), "the content layer and the config only: " + total);
      assertTrue(total.endsWith("(incl. config); mounted 2 blob(s) from the base's repository"), total);
      long totalBytes = Long.parseLong(total.replaceAll("Uploaded 2 blob\\(s\\), (\\d+) bytes.*", "$1"));
      assertTrue(totalBytes > contentBytes && totalBytes < contentBytes + 4096, "layer + config, no base bytes: " + total);

      List<String> rebuilt = build(registry, project, "app/two", true);
      assertTrue(rebuilt.stream().filter(l -> l.contains("layer")).allMatch(l -> l.contains("already present")),
          "a forced rebuild into the same repository sends no layer: " + rebuilt);
    }
  }

  private static List<String> build(LocalRegistry registry, Path project, String repository) throws Exception {
    return build(registry, project, repository, false);
  }

  private static List<String> build(LocalRegistry registry, Path project, String repository, boolean force)
      throws Exception {
    ImageSpecs spec = new ImageSpecs(project);
    spec.from = registry.host() + "/base/image:1";
    spec.to = registry.host() + "/" + repository;
    spec.insecure = Set.of(registry.host());
    spec.force = force;
    spec.content("nb", "/home/jovyan/notebooks");
    CapturingLog log = new CapturingLog();
    long mark = registry.mark();
    new SingleUserImage(RegistryCredential.Lookup.none(), log).build(spec.build());
    List<String> uploads = registry.blobUploadsSince(mark);
    long reportedUploads = log.lines().stream().filter(l -> l.contains(": uploaded ")).count();
    assertEquals(uploads.stream().filter(d -> log.lines().stream().anyMatch(l -> l.contains(d.substring(0, 19))))
        .count(), reportedUploads, "every 'uploaded' line is a completed blob upload the registry logged: " + uploads);
    return log.lines().stream().filter(l -> l.startsWith("INFO ")).map(l -> l.substring(5)).toList();
  }
}
