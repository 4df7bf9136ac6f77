package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.promotion.DeploymentRecord;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubReleaseTest {

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
  void firstInstallThenUpgradeInjectsImageAsStringTagWithDigestAndRecordsEach() {
    HubRelease staging = fx.release(fx.staging());

    DeploymentRecord first = staging.deploy(fx.request(ReleaseFixture.image('a')));
    assertEquals(DeploymentRecord.SUCCEEDED, first.result());
    assertEquals(1, first.revision());
    assertEquals("sha256:" + "a".repeat(64), first.imageDigest());
    assertEquals("minihub", first.chartName());
    assertEquals("0.3.0", first.chartVersion());
    assertEquals("abc123", first.sourceCommit());

    ConfigMap hub = fx.cluster.client().configMaps().inNamespace("staging").withName("hub").get();
    assertEquals("registry.example.org/datahub/user:1@sha256:" + "a".repeat(64), hub.getData().get("singleuser.image"));
    StoredRelease stored = staging.store().revision(1).orElseThrow();
    Object tag = Values.at(stored.config(), "singleuser.image.tag");
    assertTrue(tag instanceof String, "tag is stored as a string: " + tag);
    assertEquals("1@sha256:" + "a".repeat(64), tag);

    DeploymentRecord second = staging.deploy(fx.request(ReleaseFixture.image('b')));
    assertEquals(2, second.revision());
    assertEquals(DeploymentRecord.SUCCEEDED, second.result());
    assertEquals(2, staging.records().all().size());
    assertEquals(second.id(), staging.records().latest().orElseThrow().id());
    assertEquals("superseded", staging.store().revision(1).orElseThrow().status());
    assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN), fx.log.text());
  }
}
