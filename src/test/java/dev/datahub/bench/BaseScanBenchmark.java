package dev.datahub.bench;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.image.BaseImageLayers;
import dev.datahub.image.ContentMapping;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What reading a base image's directories costs (content layers keep the base's owner and mode of
 * their ancestors, so build-image reads them once per base digest): a base made of a copy of a
 * host directory tree (default {@code /usr/share}) as one layer, read cold and from the cache.
 * Run: {@code bench/run.sh BaseScanBenchmark [/usr/share]}
 */
public final class BaseScanBenchmark {

  public static void main(String[] args) throws Exception {
    Path tree = Path.of(args.length > 0 ? args[0] : "/usr/share");
    Path work = Files.createTempDirectory("datahub-bench-scan-");
    try (LocalRegistry registry = LocalRegistry.start()) {
      Path project = work.resolve("base");
      Files.createDirectories(project);
      Process copy = new ProcessBuilder("cp", "-a", tree.toString(), project.resolve("tree").toString()).inheritIO().start();
      if (copy.waitFor() != 0) {
        throw new IllegalStateException("cp -a " + tree + " failed");
      }
      // content mappings refuse links that leave the project: drop them (only directories matter here)
      new ProcessBuilder("find", project.resolve("tree").toString(), "-type", "l", "-delete").inheritIO().start().waitFor();
      String base = registry.host() + "/bench/scan-base:1";
      new SingleUserImage(RegistryCredential.Lookup.none(), new CapturingLog()).build(new ImageSpec(SingleUserImage.SCRATCH,
          base, List.of(), "Docker", List.of(new ContentMapping(Path.of("tree"), tree.toString(), null, null, null)),
          List.of(), Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), project,
          project.resolve("target"), work.resolve("cache-base"), "bench"));
      long layerBytes = dev.datahub.image.ManifestLayers.read(registry.api(), "bench/scan-base", "1").layers().get(0).size();
      Path cache = work.resolve("cache");
      System.out.printf("base: a copy of %s (symlinks dropped) as one layer of %.0f MiB gzip%n", tree, layerBytes / 1048576.0);
      System.out.println("| read | directories | wall time |");
      System.out.println("|---|---|---|");
      for (String run : List.of("cold (streams every layer)", "cached (per base digest)")) {
        long start = System.nanoTime();
        Map<String, BaseImageLayers.Directory> dirs = BaseImageLayers.open(base, Set.of(registry.host()),
            RegistryCredential.Lookup.none(), cache).directories();
        System.out.printf("| %s | %d | %.2f s |%n", run, dirs.size(), (System.nanoTime() - start) / 1e9);
      }
    } finally {
      new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor();
    }
  }
}
