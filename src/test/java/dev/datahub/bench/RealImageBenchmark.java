package dev.datahub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.DebianBase;
import dev.datahub.fixtures.LocalJupyterHub;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.Podman;
import dev.datahub.fixtures.RealImage;
import dev.datahub.image.BuiltImage;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.ContainerEngine;
import dev.datahub.smoke.HubSmokeRun;
import dev.datahub.smoke.HubToken;
import dev.datahub.smoke.ImageSmokeRun;
import dev.datahub.smoke.SmokeResult;
import dev.datahub.smoke.SmokeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-image tier's figures. (1) Spawn to first kernel result — the spawn request until the
 * first code ran in the kernel (spawn + kernel start + first execution, as the smoke test measures
 * them) — for the same smoke spec under the podman hub (the built image) and the host-process hub.
 * (2) {@code datahub:image-test}'s core wall time against the floor: {@code podman run --rm <image>
 * python3 -c 'import pip'} of the same image. Also prints the Debian base build (cold when the cache
 * is empty). Not part of the normal test run; {@code mvn -B -o -q test -Dtest=RealImageBenchmark
 * [-Dbench.runs=5]}.
 */
class RealImageBenchmark {

  @Test
  void spawnAndImageTestAgainstTheirFloors(@TempDir Path tmp) throws Exception {
    int runs = Integer.getInteger("bench.runs", 5);
    long b0 = System.nanoTime();
    DebianBase.Built base = DebianBase.build();
    System.out.printf(Locale.ROOT, "%nDebian base: %s, %s in %.1f s%n", base.digest(),
        base.fromCache() ? "from the cache" : "built (cold)", (System.nanoTime() - b0) / 1e9);
    try (Podman podman = Podman.start(); LocalRegistry registry = LocalRegistry.start()) {
      long p0 = System.nanoTime();
      String baseRef = DebianBase.pushTo(registry);
      System.out.printf(Locale.ROOT, "copy into the registry: %.1f s%n", (System.nanoTime() - p0) / 1e9);
      Path pip = RealImage.debianPipWheel();
      long i0 = System.nanoTime();
      BuiltImage built = new RealImage(baseRef, registry, RealImage.sharedCache(), new CapturingLog())
          .build(tmp, "hub/user", RealImage.pipLock(tmp), pip.getParent());
      System.out.printf(Locale.ROOT, "image build FROM the base: %.1f s, %s%n", (System.nanoTime() - i0) / 1e9,
          built.reference());

      SmokeSpec spec = SmokeSpec.of(java.net.URI.create("http://127.0.0.1/")).withImports("json")
          .withExpectedImage(built.reference(), true);
      List<double[]> podmanHub = new ArrayList<>();
      List<double[]> hostHub = new ArrayList<>();
      try (LocalJupyterHub hub = LocalJupyterHub.startWithPodman(podman)) {
        long d0 = System.nanoTime();
        hub.deploy(built.reference());
        System.out.printf(Locale.ROOT, "first pull of the image into podman: %.1f s%n", (System.nanoTime() - d0) / 1e9);
        smoke(hub, spec, Map.of()); // warm-up
        for (int i = 0; i < runs; i++) {
          podmanHub.add(smoke(hub, spec, Map.of()));
        }
      }
      try (LocalJupyterHub hub = LocalJupyterHub.start()) {
        smoke(hub, spec, Map.of("image", built.reference()));
        for (int i = 0; i < runs; i++) {
          hostHub.add(smoke(hub, spec, Map.of("image", built.reference())));
        }
      }
      System.out.println();
      System.out.println("hub | spawn s | kernel start s | first result s | spawn to first result s | smoke wall s (median of " + runs + ")");
      System.out.println("|---|---|---|---|---|---|");
      row("podman (the built image)", podmanHub);
      row("host process", hostHub);
      System.out.printf(Locale.ROOT, "spawn to first result, podman/host: %.2fx%n",
          median(podmanHub, 3) / median(hostHub, 3));

      ContainerEngine engine = ContainerEngine.find("podman", podman.environment(), System.getenv("PATH"), new ArrayList<>())
          .orElseThrow();
      SmokeSpec imports = spec.withImports("pip");
      ImageSmokeRun.Image image = new ImageSmokeRun.Image(built.reference(), built.imageId(), null, true);
      List<double[]> ratio = new ArrayList<>();
      System.out.println();
      System.out.println("run | image-test wall s | podman run python3 -c 'import pip' s | ratio");
      System.out.println("|---|---|---|---|");
      for (int i = 0; i <= runs; i++) {
        long t0 = System.nanoTime();
        SmokeResult r = new ImageSmokeRun(imports, engine, image, new Redactor(), StepLog.silent()).run();
        double wall = (System.nanoTime() - t0) / 1e9;
        assertTrue(r.passed(), r.failure());
        long f0 = System.nanoTime();
        Podman.Result floor = podman.run("run", "--rm", "--network=host", built.reference(), "python3", "-c", "import pip");
        double floorSeconds = (System.nanoTime() - f0) / 1e9;
        assertEquals(0, floor.exitCode(), floor.output());
        if (i == 0) {
          continue; // warm-up
        }
        ratio.add(new double[] {wall, floorSeconds, wall / floorSeconds});
        System.out.printf(Locale.ROOT, "%d | %.2f | %.2f | %.2fx%n", i, wall, floorSeconds, wall / floorSeconds);
      }
      System.out.printf(Locale.ROOT, "median | %.2f | %.2f | %.2fx%n%n", median(ratio, 0), median(ratio, 1), median(ratio, 2));
      assertEquals(List.of(), podman.containers());
    }
  }

  private static double[] smoke(LocalJupyterHub hub, SmokeSpec spec, Map<String, Object> options) {
    SmokeResult r = new HubSmokeRun(SmokeSpec.of(hub.url()).withImports("json").withUserOptions(options)
        .withExpectedImage(spec.expectedImage(), true), new HubToken(hub.token(), "bench"), new Redactor(), StepLog.silent()).run();
    assertTrue(r.passed(), r.failure());
    double spawn = r.spawnMillis() / 1000.0;
    double kernel = r.kernelStartMillis() / 1000.0;
    double first = r.checks().get(0).millis() / 1000.0; // the image check: the first code the kernel runs
    return new double[] {spawn, kernel, first, spawn + kernel + first, r.durationMillis() / 1000.0};
  }

  private static void row(String name, List<double[]> rows) {
    System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name, median(rows, 0), median(rows, 1),
        median(rows, 2), median(rows, 3), median(rows, 4));
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
