package dev.datahub.bench;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.ContentMapping;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.ManifestLayers;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Cold build, no-op rebuild and one-notebook change against a real local registry: wall time of
 * the build-image core (what the goal runs) and the blobs/bytes the registry received.
 * Run: {@code bench/run.sh BuildImageBenchmark}
 */
public final class BuildImageBenchmark {

  public static void main(String[] args) throws Exception {
    int notebooks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path work = Files.createTempDirectory("datahub-bench-");
    try (LocalRegistry registry = LocalRegistry.start()) {
      // base: ~32 MiB of incompressible data in one layer, like a (small) docker-stacks layer
      Path baseProject = work.resolve("base");
      Files.createDirectories(baseProject.resolve("opt"));
      byte[] blob = new byte[32 << 20];
      new Random(1).nextBytes(blob);
      Files.write(baseProject.resolve("opt/blob.bin"), blob);
      String base = registry.host() + "/bench/base:1";
      build(spec(baseProject, "scratch", base, registry, work.resolve("cache-base"), List.of(
          new ContentMapping(Path.of("opt"), "/opt", null, null, null))));

      Path project = work.resolve("hub");
      Files.createDirectories(project.resolve("notebooks"));
      Files.createDirectories(project.resolve("config"));
      Files.writeString(project.resolve("config/jupyter_server_config.py"), "c.ServerApp.iopub_data_rate_limit = 1e10\n");
      Random random = new Random(2);
      for (int i = 0; i < notebooks; i++) {
        Files.writeString(project.resolve("notebooks/nb-" + i + ".ipynb"), notebook(random, 8_000));
      }
      List<ContentMapping> content = List.of(
          new ContentMapping(Path.of("config"), "/etc/jupyter", null, null, null),
          new ContentMapping(Path.of("notebooks"), "/home/jovyan/notebooks", null, null, "1000:100"));
      ImageSpec spec = spec(project, base, registry.host() + "/bench/hub", registry, work.resolve("cache-hub"), content);

      System.out.printf("build-image benchmark: %d notebooks (~8 KB each), base layer 32 MiB, registry %s%n", notebooks,
          registry.host());
      System.out.println("| scenario | wall time in build-image core | blobs uploaded | bytes uploaded | manifests pushed |");
      System.out.println("|---|---|---|---|---|");
      BuiltImage cold = measure("cold (empty caches, empty repository)", registry, spec);
      measure("no-op rebuild (content-hash tag exists)", registry, spec);
      measure("no-op rebuild, second run (warm JVM)", registry, spec);
      ImageSpec forced = new ImageSpec(spec.from(), spec.to(), spec.tags(), spec.format(), spec.content(), spec.extraLayers(),
          spec.environment(), spec.labels(), spec.user(), spec.workingDirectory(), spec.entrypoint(), spec.cmd(), true, true,
          spec.allowInsecureRegistries(), spec.projectDirectory(), spec.outputDirectory(), spec.cacheDirectory(),
          spec.toolVersion());
      measure("forced rebuild, nothing changed (-Ddatahub.image.force=true)", registry, forced);
      Files.writeString(project.resolve("notebooks/nb-7.ipynb"), notebook(new Random(3), 8_000));
      BuiltImage changed = measure("one notebook changed", registry, spec);

      ManifestLayers m = ManifestLayers.read(registry.api(), "bench/hub", changed.digest());
      long notebooksLayer = m.layers().get(m.layers().size() - 1).size();
      System.out.printf("one-notebook change: notebooks layer %d bytes + config %d bytes = %d bytes minimum%n",
          notebooksLayer, m.config().size(), notebooksLayer + m.config().size());
      System.out.println("cold digest " + cold.digest() + ", changed digest " + changed.digest());
    } finally {
      try (var walk = Files.walk(work)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String notebook(Random random, int size) {
    StringBuilder text = new StringBuilder("{\"cells\": [{\"cell_type\": \"code\", \"source\": \"");
    while (text.length() < size) {
      text.append(Long.toHexString(random.nextLong()));
    }
    return text.append("\"}], \"nbformat\": 4}\n").toString();
  }

  private static ImageSpec spec(Path project, String from, String to, LocalRegistry registry, Path cache,
      List<ContentMapping> content) {
    return new ImageSpec(from, to, List.of(), "Docker", content, List.of(), Map.of(), Map.of(), null, null, null, null, true,
        false, Set.of(registry.host()), project, project.resolve("target/datahub"), cache, "bench");
  }

  private static BuiltImage build(ImageSpec spec) {
    return new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(spec);
  }

  private static BuiltImage measure(String scenario, LocalRegistry registry, ImageSpec spec) throws IOException {
    long mark = registry.mark();
    long start = System.nanoTime();
    BuiltImage image = build(spec);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> blobs = registry.blobUploadsSince(mark);
    long bytes = 0;
    for (String digest : blobs) {
      try (var in = registry.api().blob(blobs.isEmpty() ? "" : repositoryOf(spec), digest)) {
        bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    System.out.printf("| %s | %.3f s | %d | %d | %d |%n", scenario, seconds, blobs.size(), bytes,
        registry.manifestPutsSince(mark).size());
    return image;
  }

  private static String repositoryOf(ImageSpec spec) {
    String to = spec.to();
    return to.substring(to.indexOf('/') + 1);
  }
}
