package dev.datahub.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.Digest;
import dev.datahub.release.ChartSource;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.EnvironmentStatus;
import dev.datahub.release.HubRelease;
import dev.datahub.release.SmokeVerdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @TempDir Path tmp;
  ReleaseFixture fx;
  HubRelease staging;
  HubRelease prod;
  final List<String> smokeCalls = new ArrayList<>();
  final SmokeRunner passingSmoke = (env, url, image) -> {
    smokeCalls.add(env + " " + url + " " + image);
    return new SmokeVerdict(true, Digest.in(image), url, "passed");
  };

  @BeforeEach
  void start() {
    fx = new ReleaseFixture(tmp);
    staging = fx.release(fx.staging());
    prod = fx.release(fx.prod());
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private DeploymentRecord promote(boolean force, String reason) {
    return new Promotion(staging, prod, passingSmoke, fx.redactor.wrap(fx.log))
        .promote(ChartSource.local(ReleaseFixture.CHART), List.of(), "def456", force, reason, false);
  }

  private String refusal() {
    return assertThrows(DataHubException.class, () -> promote(false, null)).getMessage();
  }

  @Test
  void promotesTheTestedDigestRecordsTheOriginAndSmokeTestsProd() {
    DeploymentRecord tested = staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, true, A, "5 checks passed");

    DeploymentRecord onProd = promote(false, null);
    assertEquals("prod", onProd.environment());
    assertEquals(DeploymentRecord.Kind.PROMOTE, onProd.kind());
    assertEquals(A, onProd.imageDigest());
    assertEquals(tested.id(), onProd.promotedFrom());
    assertNull(onProd.forced());
    assertEquals(DeploymentRecord.SmokeStatus.PASSED, onProd.smoke().status());
    assertEquals("http://prod.hub.example.org", onProd.smoke().hubUrl(), "the hub that was tested is recorded");
    assertEquals(List.of("prod http://prod.hub.example.org registry.example.org/datahub/user@" + A), smokeCalls);
    assertEquals("registry.example.org/datahub/user:1@" + A,
        fx.cluster.client().configMaps().inNamespace("prod").withName("hub").get().getData().get("singleuser.image"));

    EnvironmentStatus s = EnvironmentStatus.of(staging);
    EnvironmentStatus p = EnvironmentStatus.of(prod);
    assertFalse(EnvironmentStatus.behind(p, s));
    staging.deploy(fx.request(ReleaseFixture.image('b')));
    assertTrue(EnvironmentStatus.behind(EnvironmentStatus.of(prod), EnvironmentStatus.of(staging)));
    assertTrue(String.join("\n", EnvironmentStatus.of(prod).lines()).contains("last smoke test: passed"));
  }

  private static dev.datahub.image.ImageContents contents(String... nameVersion) {
    java.util.TreeMap<String, String> packages = new java.util.TreeMap<>();
    for (int i = 0; i < nameVersion.length; i += 2) {
      packages.put(nameVersion[i], nameVersion[i + 1]);
    }
    return new dev.datahub.image.ImageContents("quay.io/jupyter/base-notebook", "sha256:" + "0".repeat(64), packages,
        List.copyOf(packages.keySet()), List.of());
  }

  @Test
  void promoteShowsWhatProdReceivesAndProdsRecordsAloneGiveTheDiffOfTheLastPromotion() {
    staging.deploy(fx.request(ReleaseFixture.image('a').withContents(contents("hello", "1.0", "six", "1.16.0"))));
    fx.smoke(staging, true, A, "passed");
    promote(false, null);
    assertTrue(fx.log.text().contains("What prod receives:\n") || fx.log.text().contains("What prod receives:"),
        fx.log.text());
    assertTrue(fx.log.text().contains("nothing deployed yet: registry.example.org/datahub/user:1@" + A), fx.log.text());

    staging.deploy(fx.request(ReleaseFixture.image('b').withContents(contents("hello", "2.0", "polars", "1.9.0"))));
    fx.smoke(staging, true, B, "passed");
    List<String> beforePromotion = dev.datahub.release.BundleDiff.ofPromotion(staging, prod).orElseThrow().lines();
    assertTrue(beforePromotion.contains("Python package upgraded: hello 1.0 -> 2.0"), beforePromotion.toString());
    DeploymentRecord onProd = promote(false, null);
    assertTrue(fx.log.text().contains("What prod receives (against prod's record "), fx.log.text());
    for (String line : List.of("Python package upgraded: hello 1.0 -> 2.0", "Python package added: polars 1.9.0",
        "Python package removed: six 1.16.0")) {
      assertTrue(fx.log.text().contains("  " + line), line + " in " + fx.log.text());
    }
    assertEquals(staging.records().latest().orElseThrow().bundle().contents(), onProd.bundle().contents(),
        "prod's record carries the list staging's record had");
    List<DeploymentRecord> prodRecords = prod.records().all();
    List<String> lastPromotion = dev.datahub.release.BundleDiff.between(prodRecords.get(1).bundle(),
        prodRecords.get(0).bundle()).lines();
    assertTrue(lastPromotion.containsAll(beforePromotion), lastPromotion.toString());
    assertFalse(beforePromotion.stream().anyMatch(l -> l.contains("values")),
        "status compares what a promotion takes from staging, not prod's own values: " + beforePromotion);
  }

  @Test
  void promotingAgainWithNothingNewLeavesProdAlone() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, true, A, "5 checks passed");
    DeploymentRecord first = promote(false, null);

    DeploymentRecord again = promote(false, null);
    assertEquals(first.id(), again.id(), "no new prod record");
    assertEquals(first.revision(), prod.store().latest().orElseThrow().revision(), "Helm was not called again");
    assertEquals(1, smokeCalls.size(), "prod already passed its smoke test for this digest");
    assertTrue(fx.log.text().contains("nothing to promote"), fx.log.text());
  }

  @Test
  void refusesWithoutRecord() {
    assertTrue(refusal().contains("staging has no deployment record"));
    assertTrue(prod.store().history().isEmpty());
  }

  @Test
  void refusesWithoutOrWithFailedSmokeResult() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    assertTrue(refusal().contains("has no smoke test result"));
    fx.smoke(staging, false, A, "spawn failed: image pull");
    assertTrue(refusal().contains("smoke test failed: spawn failed"));
    assertTrue(prod.store().history().isEmpty());
  }

  @Test
  void refusesWhenTheSmokeTestSawAnotherDigest() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, true, B, "passed");
    assertTrue(refusal().contains("smoke test saw image " + B));
  }

  @Test
  void refusesWhenStagingWasChangedOutsideThePlugin() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, true, A, "passed");
    // Someone ran helm upgrade by hand: the live revision is no longer the tested one.
    staging.deploy(fx.request(ReleaseFixture.image('b')));
    fx.smoke(staging, true, B, "passed");
    DeploymentRecord tested = staging.records().latest().orElseThrow();
    fx.cluster.client().configMaps().inNamespace("staging").withName(tested.id()).delete();
    // The latest record is now the one for revision 1 (image a), but revision 2 runs.
    String message = refusal();
    assertTrue(message.contains("staging drifted since the test"), message);
  }

  @Test
  void refusesAnotherChart() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, true, A, "passed");
    Path copy = tmp.resolve("chart-copy");
    copyChart(copy, "0.3.1");
    String message = assertThrows(DataHubException.class, () -> new Promotion(staging, prod, passingSmoke, fx.log)
        .promote(ChartSource.local(copy), List.of(), "def456", false, null, false)).getMessage();
    assertTrue(message.contains("chart minihub-0.3.1"), message);
  }

  @Test
  void forcedPromotionNeedsAReasonAndRecordsIt() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, false, A, "hub timed out");
    String noReason = assertThrows(DataHubException.class, () -> promote(true, " ")).getMessage();
    assertTrue(noReason.contains("needs a reason"), noReason);

    DeploymentRecord forced = promote(true, "hotfix INC-42, smoke env broken");
    assertEquals("hotfix INC-42, smoke env broken", forced.forced().reason());
    assertEquals(HubRelease.operator(), forced.forced().by());
    assertTrue(forced.forced().overrode().get(0).contains("smoke test failed: hub timed out"), forced.toString());
    assertEquals(forced.id(), prod.records().latest().orElseThrow().id());
    assertTrue(fx.log.text().contains("FORCED promotion (hotfix INC-42"));
    assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN));
  }

  @Test
  void failedSmokeTestRollsStagingBackWhenAsked() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.deploy(fx.request(ReleaseFixture.image('b')));
    DeploymentRecord back = staging.recordSmoke(new SmokeVerdict(false, B, "http://staging.hub.example.org",
        "kernel did not start"), false, true, "x");
    assertEquals(DeploymentRecord.Kind.ROLLBACK, back.kind());
    assertEquals(A, back.imageDigest());
    assertNull(back.smoke());
  }

  private static void copyChart(Path to, String version) {
    try (var files = java.nio.file.Files.walk(ReleaseFixture.CHART)) {
      for (Path f : files.toList()) {
        Path dest = to.resolve(ReleaseFixture.CHART.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(dest);
        } else {
          java.nio.file.Files.copy(f, dest);
        }
      }
      Path chartYaml = to.resolve("Chart.yaml");
      java.nio.file.Files.writeString(chartYaml,
          java.nio.file.Files.readString(chartYaml).replace("version: 0.3.0", "version: " + version));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
