package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.datahub.DataHubException;
import dev.datahub.fixtures.ChartRepositoryServer;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way most operators get z2jh: a chart from an HTTP chart repository (`<repository>` + `<name>` +
 * `<version>`). A real repository (index.yaml + the packaged chart, served on loopback) feeds Helm's
 * own repository client, for the deploy and for the plan's render.
 */
class RepositoryChartTest {

  @TempDir Path tmp;
  ReleaseFixture fx;
  ChartRepositoryServer repository;
  String url;

  @BeforeEach
  void start() throws Exception {
    fx = new ReleaseFixture(tmp);
    repository = new ChartRepositoryServer(tmp.resolve("repo"));
    Path tgz = repository.publish(ReleaseFixture.CHART, "minihub", "0.3.0");
    assertTrue(Files.isRegularFile(tgz), "helm package wrote " + tgz);
    url = repository.url();
  }

  @AfterEach
  void stop() {
    repository.close();
    fx.close();
  }

  @Test
  void deploysAndPlansAChartFromAnHttpRepository() throws IOException {
    ChartSource chart = ChartSource.repository(url, "minihub", "0.3.0");
    HubRelease staging = fx.release(fx.staging());
    DeploymentRecord record = staging.deploy(new HubRelease.DeployRequest(chart, List.of(), ReleaseFixture.image('a'),
        "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false));
    assertEquals(DeploymentRecord.Result.SUCCEEDED, record.result());
    assertEquals("minihub", record.chartName());
    assertEquals("0.3.0", record.chartVersion());

    Redactor redactor = new Redactor();
    ComposedValues values = new ValuesComposer(redactor).compose(List.of(), fx.staging(), ReleaseFixture.image('b'),
        tmp.resolve("work"));
    ReleasePlan plan = new ReleasePlanner(redactor).plan(fx.staging(), chart, values, ReleaseFixture.image('b'), staging);
    assertTrue(plan.renderedResources().contains("Deployment/hub"), "rendered from the repository: " + plan.lines());
    assertTrue(plan.resourceChanges().stream().anyMatch(c -> c.startsWith("~ ")), String.join("\n", plan.lines()));
  }

  @Test
  void unknownVersionAndTamperedArchiveAreRefusedBeforeHelmRuns() throws Exception {
    HubRelease staging = fx.release(fx.staging());
    dev.datahub.DataHubException missing = org.junit.jupiter.api.Assertions.assertThrows(
        dev.datahub.DataHubException.class, () -> staging.deploy(new HubRelease.DeployRequest(
            ChartSource.repository(url, "minihub", "9.9.9"), List.of(), ReleaseFixture.image('a'), "abc123",
            DeploymentRecord.Kind.DEPLOY, null, null, false)));
    assertTrue(missing.getMessage().contains("minihub 9.9.9 is not in the repository"), missing.getMessage());

    Path index = repository.index();
    Files.writeString(index, Files.readString(index).replaceFirst("digest: [0-9a-f]{64}", "digest: " + "0".repeat(64)));
    dev.datahub.DataHubException tampered = org.junit.jupiter.api.Assertions.assertThrows(
        dev.datahub.DataHubException.class, () -> staging.deploy(new HubRelease.DeployRequest(
            ChartSource.repository(url, "minihub", "0.3.0"), List.of(), ReleaseFixture.image('a'), "abc123",
            DeploymentRecord.Kind.DEPLOY, null, null, false)));
    assertTrue(tampered.getMessage().contains("does not match the repository's digest"), tampered.getMessage());
    assertTrue(staging.store().lastDeployed().isEmpty(), "nothing was installed");
  }

  /** Packages {@code chartDir} as minihub 0.3.0 over the served archive and lists it with {@code digest} in the index. */
  private String republish(Path chartDir, boolean withDigest) throws Exception {
    Path served = tmp.resolve("repo");
    new Helm(chartDir).packageIt().withDestination(served).call();
    byte[] archive = Files.readAllBytes(served.resolve("minihub-0.3.0.tgz"));
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    Path index = served.resolve("index.yaml");
    String text = Files.readString(index).replaceFirst("(?m)^( *)digest: [0-9a-f]{64}\n", withDigest ? "$1digest: " + hex
        + "\n" : "");
    Files.writeString(index, text);
    return "sha256:" + hex;
  }

  private static Path copyOfTheChart(Path to, String extraValues) throws IOException {
    try (var files = Files.walk(ReleaseFixture.CHART)) {
      for (Path f : files.toList()) {
        Path dest = to.resolve(ReleaseFixture.CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
    Files.writeString(to.resolve("values.yaml"), Files.readString(to.resolve("values.yaml")) + extraValues);
    return to;
  }

  /** Why 2: a chart republished under the same version after staging's test passed the gate (coordinates only). */
  @Test
  void aChartRepublishedUnderTheSameVersionIsNotPromoted() throws Exception {
    ChartSource chart = ChartSource.repository(url, "minihub", "0.3.0");
    HubRelease staging = fx.release(fx.staging());
    HubRelease prod = fx.release(fx.prod());
    DeploymentRecord tested = staging.deploy(new HubRelease.DeployRequest(chart, List.of(), ReleaseFixture.image('a'),
        "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false));
    fx.smoke(staging, true, tested.imageDigest(), "passed");
    assertEquals(ChartContent.ofArchive(Files.readAllBytes(tmp.resolve("repo/minihub-0.3.0.tgz"))),
        tested.bundle().chartDigest(), "the digest of the archive that was downloaded and verified");

    republish(copyOfTheChart(tmp.resolve("republished"), "# same version, other content\nextra: 1\n"), true);
    DataHubException refused = assertThrows(DataHubException.class, () -> new dev.datahub.promotion.Promotion(staging,
        prod, null, fx.log).promote(chart, List.of(), "def456", false, null, false));
    assertTrue(refused.getMessage().contains("chart minihub-0.3.0 has other content"), refused.getMessage());
    assertTrue(prod.store().history().isEmpty(), "prod got nothing");
  }

  /** Why 2: an index entry without a digest skipped the archive check. */
  @Test
  void anIndexEntryWithoutDigestIsRefusedUnlessThePomPinsTheArchive() throws Exception {
    String digest = republish(ReleaseFixture.CHART, false);
    HubRelease staging = fx.release(fx.staging());
    ChartSource unpinned = ChartSource.repository(url, "minihub", "0.3.0");
    DataHubException refused = assertThrows(DataHubException.class, () -> staging.deploy(new HubRelease.DeployRequest(
        unpinned, List.of(), ReleaseFixture.image('a'), "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false)));
    assertTrue(refused.getMessage().contains("has no digest in index.yaml"), refused.getMessage());
    assertTrue(refused.getMessage().contains("<chart><digest>"), refused.getMessage());

    ChartSource wrongPin = unpinned.pinned("sha256:" + "0".repeat(64));
    DataHubException mismatch = assertThrows(DataHubException.class, () -> wrongPin.digest());
    assertTrue(mismatch.getMessage().contains("is not the archive the pom pins"), mismatch.getMessage());
    assertTrue(staging.store().history().isEmpty(), "nothing was installed");

    DeploymentRecord pinned = staging.deploy(new HubRelease.DeployRequest(unpinned.pinned(digest), List.of(),
        ReleaseFixture.image('a'), "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false));
    assertEquals(digest, pinned.bundle().chartDigest());
  }
}
