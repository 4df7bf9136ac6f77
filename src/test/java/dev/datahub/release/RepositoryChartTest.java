package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.ChartRepositoryServer;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import dev.datahub.promotion.DeploymentRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "abc123", "deploy", null, false, null, false));
    assertEquals(DeploymentRecord.SUCCEEDED, record.result());
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
            ChartSource.repository(url, "minihub", "9.9.9"), List.of(), ReleaseFixture.image('a'), "abc123", "deploy",
            null, false, null, false)));
    assertTrue(missing.getMessage().contains("minihub 9.9.9 is not in the repository"), missing.getMessage());

    Path index = repository.index();
    Files.writeString(index, Files.readString(index).replaceFirst("digest: [0-9a-f]{64}", "digest: " + "0".repeat(64)));
    dev.datahub.DataHubException tampered = org.junit.jupiter.api.Assertions.assertThrows(
        dev.datahub.DataHubException.class, () -> staging.deploy(new HubRelease.DeployRequest(
            ChartSource.repository(url, "minihub", "0.3.0"), List.of(), ReleaseFixture.image('a'), "abc123", "deploy",
            null, false, null, false)));
    assertTrue(tampered.getMessage().contains("does not match the repository's digest"), tampered.getMessage());
    assertTrue(staging.store().lastDeployed().isEmpty(), "nothing was installed");
  }
}
