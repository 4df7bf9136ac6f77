package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.release.DeploySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy-staging hands its outcome to smoke-test through this build only: smoke-test skips a test only when a deploy
 * of this build said "skipped", never because of a {@code staging-deploy.json} an earlier build left behind.
 */
class DeployOutcomesTest {

  @TempDir Path tmp;

  static DeploySummary skipped() {
    return new DeploySummary("hub-a", "staging", "staging", "hub", DeploySummary.SKIPPED, List.of("same"), "rec-1", 3,
        "sha256:" + "a".repeat(64), "hub 1.0.0", null, null);
  }

  @Test
  void aDeployFileOfAnEarlierBuildIsNotThisBuildsOutcome() throws Exception {
    Path release = tmp.resolve("target/datahub/release");
    new DeployOutcomes(new MavenProject(), release).put(skipped()); // the earlier build
    assertTrue(Files.exists(release.resolve("staging-deploy.json")));

    DeployOutcomes thisBuild = new DeployOutcomes(new MavenProject(), release);
    assertNull(thisBuild.ofThisBuild("staging"), "only a deploy of this build may let smoke-test skip");
  }

  @Test
  void theOutcomeOfThisBuildIsSharedAndWrittenAndAClearRemovesTheStaleFile() throws Exception {
    Path release = tmp.resolve("target/datahub/release");
    MavenProject project = new MavenProject();
    DeployOutcomes deploy = new DeployOutcomes(project, release);
    deploy.put(skipped());

    DeployOutcomes smoke = new DeployOutcomes(project, release); // another goal of the same build
    assertEquals(skipped(), smoke.ofThisBuild("staging"));
    smoke.put(smoke.ofThisBuild("staging").withSmoke("passed", null));
    assertEquals("passed", DeploySummary.readFrom(release.resolve("staging-deploy.json")).smoke());
    assertNull(smoke.ofThisBuild("prod"));

    deploy.clear("staging");
    assertFalse(Files.exists(release.resolve("staging-deploy.json")));
  }
}
