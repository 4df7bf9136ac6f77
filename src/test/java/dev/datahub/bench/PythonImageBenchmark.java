package dev.datahub.bench;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.ManifestLayers;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import dev.datahub.python.PythonImageLayers;
import dev.datahub.python.PythonSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 30 locked packages (cached wheels) through build-image into a real registry, then one package
 * added: wall time of resolve + layer + push, and the blobs and bytes the registry received.
 * Run: {@code bench/run.sh PythonImageBenchmark [packages]}
 */
public final class PythonImageBenchmark {

  public static void main(String[] args) throws Exception {
    int packages = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory("datahub-python-image-bench");
    try (LocalRegistry registry = LocalRegistry.start()) {
      Path wheels = dir.resolve("wheels");
      LockWriter lock = LockWriter.lock();
      for (int i = 0; i < packages; i++) {
        Path w = PythonLayersBenchmark.generated(String.format("bench-pkg-%02d", i), 10 + (i % 7) * 5, i).writeTo(wheels);
        lock.pin(String.format("bench-pkg-%02d", i), "1.0." + i, List.of(w));
      }
      Path lockFile = lock.writeTo(dir.resolve("hub/requirements.lock"));
      Path hub = dir.resolve("hub");
      ImageSpec image = new ImageSpec(SingleUserImage.SCRATCH, registry.host() + "/bench/python-hub", List.of(), "Docker",
          List.of(), List.of(), Map.of(), Map.of(), null, null, null, null, true, false, Set.of(registry.host()), hub,
          hub.resolve("target/datahub"), dir.resolve("jib-cache"), "bench");
      PythonSpec python = new PythonSpec(lockFile, "none", wheels, null, null, null, null, null, null, null,
          dir.resolve("wheel-cache"), hub.resolve("target/datahub/python"), 0);

      System.out.printf("Python packages through build-image: %d locked packages from a find-links dir, registry %s%n",
          packages, registry.host());
      System.out.println("| scenario | wall time (resolve + layer + push) | layers | blobs uploaded | bytes uploaded |");
      System.out.println("|---|---|---|---|---|");
      run("first build (wheels not yet cached)", registry, image, python);
      run("no-op rebuild (wheels cached, hash tag exists)", registry, image, python);

      Path added = PythonLayersBenchmark.generated("bench-added", 25, 999).writeTo(wheels);
      Files.writeString(lockFile, Files.readString(lockFile)
          + "bench-added==1.0.999 \\\n    --hash=sha256:" + dev.datahub.fixtures.WheelBuilder.sha256Hex(added) + "\n");
      BuiltImage changed = run("one package added to the lock", registry, image, python);
      ManifestLayers m = ManifestLayers.read(registry.api(), "bench/python-hub", changed.digest());
      long total = m.layers().stream().mapToLong(ManifestLayers.Blob::size).sum();
      System.out.printf("image after the change: %d layers, %d bytes compressed in all%n", m.layers().size(), total);
    } finally {
      PythonLayersBenchmark.deleteTree(dir);
    }
  }

  private static BuiltImage run(String scenario, LocalRegistry registry, ImageSpec image, PythonSpec python)
      throws Exception {
    long mark = registry.mark();
    long start = System.nanoTime();
    CapturingLog log = new CapturingLog();
    ImageSpec withPython = image.withExtraLayers(
        PythonImageLayers.forImage(image, python, RegistryCredential.Lookup.none(), log));
    BuiltImage built = new SingleUserImage(RegistryCredential.Lookup.none(), log).build(withPython);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> blobs = registry.blobUploadsSince(mark);
    long bytes = 0;
    for (String digest : blobs) {
      try (var in = registry.api().blob("bench/python-hub", digest)) {
        bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    System.out.printf("| %s | %.3f s | %d | %d | %d |%n", scenario, seconds, withPython.extraLayers().size(), blobs.size(),
        bytes);
    return built;
  }
}
