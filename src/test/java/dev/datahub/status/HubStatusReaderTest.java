package dev.datahub.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.release.HubRelease;
import dev.datahub.release.RecordKey;
import dev.datahub.release.StuckRelease;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status reads, never writes: no key, no lock, no record; drift and unavailable environments are said. */
class HubStatusReaderTest {

  @TempDir Path tmp;
  ReleaseFixture fx;

  @BeforeEach
  void start() {
    fx = new ReleaseFixture(tmp);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void readingCreatesNothingInTheNamespace() {
    HubRelease fresh = fx.release(fx.environment("staging", MockCluster.STAGING_CONTEXT, "fresh"));
    HubStatus status = new HubStatusReader(fx.redactor, fx.log).read("hub", env -> {
      if ("prod".equals(env)) {
        throw new DataHubException("no <environments><prod> configured — add it");
      }
      return fresh;
    }, tmp.resolve("target/datahub"));

    assertEquals("not-installed", status.environment("staging").state());
    assertEquals("unavailable", status.environment("prod").state());
    assertEquals("no <environments><prod> configured — add it", status.environment("prod").unavailable());
    assertNull(status.prodBehind(), "unknown when prod could not be read");
    assertNull(fx.cluster.client().secrets().inNamespace("fresh").withName(RecordKey.SECRET).get(), "no key created");
    assertTrue(fx.cluster.client().configMaps().inNamespace("fresh").list().getItems().isEmpty(), "no record written");
    assertTrue(fx.cluster.client().leases().inNamespace("fresh").list().getItems().isEmpty(), "no lock taken");
  }

  @Test
  void aRevisionTheRecordsDoNotKnowIsDrift() {
    HubRelease staging = fx.release(fx.staging());
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, true, "sha256:" + "a".repeat(64), "1 check passed");
    StuckRelease.addRevision(fx.cluster.client(), "staging", "hub", 2, "deployed"); // helm upgrade by hand

    HubStatus status = new HubStatusReader(fx.redactor, fx.log).read("hub", env -> staging, null);
    EnvironmentState s = status.environment("staging");
    assertEquals("drift", s.state());
    assertEquals(1, s.drift().size(), s.drift().toString());
    assertTrue(s.drift().get(0).startsWith("the live release is revision 2 (deployed), record "), s.drift().get(0));
    assertTrue(status.drift());
    assertFalse(status.stuck());
    assertEquals("passed", s.lastSmoke());
    assertEquals(List.of("smoke", "deploy"), s.timeline().stream().map(TimelineEvent::kind).toList());
    assertTrue(s.timeline().stream().allMatch(TimelineEvent::verified));
  }
}
