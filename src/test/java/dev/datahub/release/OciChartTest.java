package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.datahub.DataHubException;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.promotion.Promotion;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI charts (Why 2): pushed with Helm to a real registry on loopback, pulled and verified by the plugin, deployed from
 * the verified archive; a chart re-pushed under the same version after staging's test does not reach prod.
 */
class OciChartTest {

  @TempDir Path tmp;
  ReleaseFixture fx;
  LocalRegistry registry;

  @BeforeEach
  void start() throws Exception {
    fx = new ReleaseFixture(tmp);
    registry = LocalRegistry.start();
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
    fx.close();
  }

  /** Packages the chart (with extra values) as minihub 0.3.0 and pushes it; returns the archive's digest. */
  private String push(String extraValues) throws Exception {
    Path chart = tmp.resolve("chart-" + System.nanoTime());
    try (var files = Files.walk(ReleaseFixture.CHART)) {
      for (Path f : files.toList()) {
        Path dest = chart.resolve(ReleaseFixture.CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
    Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml")) + extraValues);
    Path out = Files.createDirectories(tmp.resolve("packaged-" + System.nanoTime()));
    new Helm(chart).packageIt().withDestination(out).call();
    Path tgz = out.resolve("minihub-0.3.0.tgz");
    Helm.push().withChart(tgz).withRemote(URI.create("oci://" + registry.host() + "/charts")).plainHttp().call();
    return ChartContent.ofArchive(Files.readAllBytes(tgz));
  }

  @Test
  void anOciChartRepushedUnderTheSameVersionIsNotPromoted() throws Exception {
    String tested = push("");
    ChartSource chart = ChartSource.oci("oci://" + registry.host() + "/charts/minihub", "0.3.0");
    HubRelease staging = fx.release(fx.staging());
    HubRelease prod = fx.release(fx.prod());
    DeploymentRecord record = staging.deploy(new HubRelease.DeployRequest(chart, List.of(), ReleaseFixture.image('a'),
        "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false));
    assertEquals(tested, record.bundle().chartDigest(), "the digest of the archive pulled, verified and deployed");
    fx.smoke(staging, true, record.imageDigest(), "passed");

    String republished = push("# same version, other content\nextra: 1\n");
    DataHubException refused = assertThrows(DataHubException.class, () -> new Promotion(staging, prod, null, fx.log)
        .promote(chart, List.of(), "def456", false, null, false));
    assertTrue(refused.getMessage().contains("chart minihub-0.3.0 has other content"), refused.getMessage());
    assertTrue(prod.store().history().isEmpty(), "prod got nothing");

    DataHubException pinned = assertThrows(DataHubException.class, () -> chart.pinned(tested).digest());
    assertTrue(pinned.getMessage().contains("is not the archive the pom pins"), pinned.getMessage());
    assertEquals(republished, chart.pinned(republished).digest());
  }
}
