package dev.datahub.bench;

import dev.datahub.fixtures.ImageRoot;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.PythonIndexServer;
import dev.datahub.fixtures.WheelBuilder;
import dev.datahub.image.ImageLayer;
import dev.datahub.log.StepLog;
import dev.datahub.python.BaseImageFiles;
import dev.datahub.python.PythonPackages;
import dev.datahub.python.PythonSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * 30 locked packages served by a loopback index: a cold run (download + install), warm runs (every
 * wheel cached: resolve, verify, install, layer), then one package added: which layers changed and
 * how many bytes they hold. Prints figures; asserts nothing.
 *
 * <p>Run: see bench/python.md.
 */
public final class PythonLayersBenchmark {

  public static void main(String[] args) throws Exception {
    int packages = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int warmRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("datahub-python-bench");
    Path wheels = dir.resolve("wheels");
    LockWriter lock = LockWriter.lock();
    long wheelBytes = 0;
    for (int i = 0; i < packages; i++) {
      Path w = generated(String.format("bench-pkg-%02d", i), 10 + (i % 7) * 5, i).writeTo(wheels);
      wheelBytes += Files.size(w);
      lock.pin(String.format("bench-pkg-%02d", i), "1.0." + i, List.of(w));
    }
    Path lockFile = lock.writeTo(dir.resolve("requirements.lock"));
    System.out.printf("%d packages, %d wheels, %.1f MiB of wheels, JDK %s, %d CPUs%n", packages, packages,
        wheelBytes / 1048576.0, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

    try (PythonIndexServer index = PythonIndexServer.serve(wheels, PythonIndexServer.Form.JSON)) {
      PythonSpec spec = PythonSpec.of(lockFile, dir.resolve("cache"), dir.resolve("work")).withIndex(index.indexUrl());
      long t0 = System.nanoTime();
      PythonPackages.Result cold = new PythonPackages().install(spec, BaseImageFiles.none(), StepLog.silent());
      long cold1 = System.nanoTime() - t0;
      System.out.printf("cold (empty cache, loopback index): %d ms, %d downloads, %d index+file requests, %d layers%n",
          cold1 / 1_000_000, cold.downloads(), index.requests(), cold.layers().size());

      int before = index.requests();
      long[] warm = new long[warmRuns];
      PythonPackages.Result last = null;
      for (int r = 0; r < warmRuns; r++) {
        long s = System.nanoTime();
        last = new PythonPackages().install(spec, BaseImageFiles.none(), StepLog.silent());
        warm[r] = System.nanoTime() - s;
      }
      Arrays.sort(warm);
      System.out.printf("warm (wheels cached, staging kept), %d runs: median %d ms, min %d ms, max %d ms; index requests %d, "
          + "downloads %d%n", warmRuns, warm[warmRuns / 2] / 1_000_000, warm[0] / 1_000_000, warm[warmRuns - 1] / 1_000_000,
          index.requests() - before, last.downloads());
      long[] clean = new long[warmRuns];
      for (int r = 0; r < warmRuns; r++) {
        deleteTree(dir.resolve("work"));
        long s = System.nanoTime();
        new PythonPackages().install(spec, BaseImageFiles.none(), StepLog.silent());
        clean[r] = System.nanoTime() - s;
      }
      Arrays.sort(clean);
      System.out.printf("warm after 'mvn clean' (wheels cached, staging deleted), %d runs: median %d ms, min %d ms, "
          + "max %d ms%n", warmRuns, clean[warmRuns / 2] / 1_000_000, clean[0] / 1_000_000, clean[warmRuns - 1] / 1_000_000);
      Map<String, String> digests = digests(last.layers());
      long total = 0;
      int files = 0;
      for (ImageLayer l : last.layers()) {
        total += ImageRoot.bytes(l);
        files += l.files().size();
      }
      System.out.printf("layers: %d, files %d, %.1f MiB uncompressed%n", last.layers().size(), files, total / 1048576.0);

      Path extra = generated("bench-added", 20, 999).writeTo(wheels);
      Files.writeString(lockFile, Files.readString(lockFile) + "bench-added==1.0.999 \\\n    --hash=sha256:"
          + WheelBuilder.sha256Hex(extra) + "\n");
      long s = System.nanoTime();
      PythonPackages.Result added = new PythonPackages().install(spec, BaseImageFiles.none(), StepLog.silent());
      long addMs = (System.nanoTime() - s) / 1_000_000;
      Map<String, String> after = digests(added.layers());
      List<String> changed = new ArrayList<>();
      long changedBytes = 0;
      for (ImageLayer l : added.layers()) {
        if (!after.get(l.name()).equals(digests.get(l.name()))) {
          changed.add(l.name());
          changedBytes += ImageRoot.bytes(l);
        }
      }
      System.out.printf("add one package: %d ms (1 download), %d layers, changed layers %s = %d bytes of %d bytes "
          + "(%.2f%%)%n", addMs, added.layers().size(), changed, changedBytes, total + changedBytes,
          100.0 * changedBytes / (total + changedBytes));

      PythonSpec grouped = spec.withMaxLayers(10);
      Map<String, String> g1 = digests(new PythonPackages().install(grouped, BaseImageFiles.none(), StepLog.silent()).layers());
      Path extra2 = generated("bench-added2", 20, 998).writeTo(wheels);
      Files.writeString(lockFile, Files.readString(lockFile) + "bench-added2==1.0.998 --hash=sha256:"
          + WheelBuilder.sha256Hex(extra2) + "\n");
      Map<String, String> g2 = digests(new PythonPackages().install(grouped, BaseImageFiles.none(), StepLog.silent()).layers());
      long unchanged = g2.values().stream().filter(g1::containsValue).count();
      System.out.printf("grouped (maxLayers 10): %d layers before, %d after adding one package, %d unchanged%n",
          g1.size(), g2.size(), unchanged);
    }
  }

  /** A wheel with {@code modules} Python modules of 2–12 KiB of deterministic text. */
  static WheelBuilder generated(String name, int modules, long seed) {
    Random random = new Random(seed);
    String module = name.replace('-', '_');
    String version = "1.0." + seed;
    WheelBuilder w = WheelBuilder.wheel(name, version).file(module + "/__init__.py", "__version__ = '" + version + "'\n");
    for (int m = 0; m < modules; m++) {
      StringBuilder src = new StringBuilder();
      int size = 2048 + random.nextInt(10240);
      while (src.length() < size) {
        src.append("def f_").append(random.nextInt(1_000_000)).append("(x):\n    return x * ")
            .append(random.nextInt(1000)).append("\n\n");
      }
      w.file(module + "/mod_" + m + ".py", src.toString().getBytes(StandardCharsets.UTF_8), 0644);
    }
    return w.consoleScript(name, module + ":main");
  }

  static void deleteTree(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (var walk = Files.walk(p)) {
        for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }

  static Map<String, String> digests(List<ImageLayer> layers) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (ImageLayer l : layers) {
      out.put(l.name(), ImageRoot.digest(l));
    }
    return out;
  }
}
