package dev.datahub.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.release.ChartSource;
import dev.datahub.release.EnvironmentStatus;
import dev.datahub.release.HubRelease;
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
  final SmokeRunner passingSmoke = (env, url, image) -> smokeCalls.add(env + " " + url + " " + image);

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
    staging.records().recordSmokeResult(true, A, "5 checks passed");

    DeploymentRecord onProd = promote(false, null);
    assertEquals("prod", onProd.environment());
    assertEquals("promote", onProd.kind());
    assertEquals(A, onProd.imageDigest());
    assertEquals(tested.id(), onProd.promotedFrom());
    assertFalse(onProd.forced());
    assertEquals("passed", onProd.smoke().status());
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

  @Test
  void promotingAgainWithNothingNewLeavesProdAlone() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.records().recordSmokeResult(true, A, "5 checks passed");
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
    staging.records().recordSmokeResult(false, A, "spawn failed: image pull");
    assertTrue(refusal().contains("smoke test failed: spawn failed"));
    assertTrue(prod.store().history().isEmpty());
  }

  @Test
  void refusesWhenTheSmokeTestSawAnotherDigest() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.records().recordSmokeResult(true, B, "passed");
    assertTrue(refusal().contains("smoke test saw image " + B));
  }

  @Test
  void refusesWhenStagingWasChangedOutsideThePlugin() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.records().recordSmokeResult(true, A, "passed");
    // Someone ran helm upgrade by hand: the live revision is no longer the tested one.
    staging.deploy(fx.request(ReleaseFixture.image('b')));
    staging.records().recordSmokeResult(true, B, "passed");
    DeploymentRecord tested = staging.records().latest().orElseThrow();
    fx.cluster.client().configMaps().inNamespace("staging").withName(tested.id()).delete();
    // The latest record is now the one for revision 1 (image a), but revision 2 runs.
    String message = refusal();
    assertTrue(message.contains("staging drifted since the test"), message);
  }

  @Test
  void refusesAnotherChart() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.records().recordSmokeResult(true, A, "passed");
    Path copy = tmp.resolve("chart-copy");
    copyChart(copy, "0.3.1");
    String message = assertThrows(DataHubException.class, () -> new Promotion(staging, prod, passingSmoke, fx.log)
        .promote(ChartSource.local(copy), List.of(), "def456", false, null, false)).getMessage();
    assertTrue(message.contains("chart minihub-0.3.1"), message);
  }

  @Test
  void forcedPromotionNeedsAReasonAndRecordsIt() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.records().recordSmokeResult(false, A, "hub timed out");
    String noReason = assertThrows(DataHubException.class, () -> promote(true, " ")).getMessage();
    assertTrue(noReason.contains("needs a reason"), noReason);

    DeploymentRecord forced = promote(true, "hotfix INC-42, smoke env broken");
    assertTrue(forced.forced());
    assertEquals("hotfix INC-42, smoke env broken", forced.forceReason());
    assertEquals(forced, prod.records().latest().orElseThrow().withSmoke(forced.smoke()));
    assertTrue(fx.log.text().contains("FORCED promotion (hotfix INC-42"));
    assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN));
  }

  @Test
  void failedSmokeTestRollsStagingBackWhenAsked() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.deploy(fx.request(ReleaseFixture.image('b')));
    DeploymentRecord back = Promotion.recordSmoke(staging, false, B, "kernel did not start", true, "x", fx.log);
    assertEquals("rollback", back.kind());
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
