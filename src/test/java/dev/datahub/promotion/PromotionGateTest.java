package dev.datahub.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.StoredRelease;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's judgement on its own, one refusal at a time. */
class PromotionGateTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  private static DeploymentRecord record(String digest, String smokeStatus, String smokeDigest) {
    return new DeploymentRecord("datahub-staging-1", "staging", "deploy", "hub", 3, "r/u:1@" + digest, digest,
        "minihub", "0.3.0", "sha256:c", "sha256:v", "none", "abc", "t", DeploymentRecord.SUCCEEDED, null,
        smokeStatus == null ? null : new DeploymentRecord.SmokeOutcome(smokeStatus, smokeDigest, "s", "t"), null, false,
        null);
  }

  private static StoredRelease live(int revision, String status) {
    return new StoredRelease("hub", revision, status, "minihub", "0.3.0", "5", "", Map.of(), "",
        JsonNodeFactory.instance.objectNode());
  }

  private static ReleaseBundle candidate(String digest, String chartVersion) {
    return new ReleaseBundle("r/u:1@" + digest, digest, "minihub", chartVersion, "sha256:c", "x", "none", "abc");
  }

  private static List<String> judge(DeploymentRecord record, StoredRelease live, String liveImage, ReleaseBundle c) {
    return PromotionGate.refusals(Optional.ofNullable(record), Optional.ofNullable(live), liveImage, c);
  }

  @Test
  void passesWhenEverythingMatches() {
    assertEquals(List.of(), judge(record(A, "passed", A), live(3, "deployed"), "r/u:1@" + A, candidate(A, "0.3.0")));
  }

  @Test
  void refusesEachMismatch() {
    assertTrue(judge(null, null, null, candidate(A, "0.3.0")).get(0).contains("no deployment record"));
    assertTrue(judge(record(A, null, null), live(3, "deployed"), "r/u:1@" + A, candidate(A, "0.3.0")).get(0)
        .contains("no smoke test result"));
    assertTrue(judge(record(A, "failed", A), live(3, "deployed"), "r/u:1@" + A, candidate(A, "0.3.0")).get(0)
        .contains("smoke test failed"));
    assertTrue(judge(record(A, "passed", A), live(3, "deployed"), "r/u:1@" + A, candidate(B, "0.3.0")).get(0)
        .contains("is not what staging tested"));
    assertTrue(judge(record(A, "passed", A), live(3, "deployed"), "r/u:1@" + A, candidate(A, "0.4.0")).get(0)
        .contains("chart minihub-0.4.0"));
    assertTrue(judge(record(A, "passed", A), live(4, "deployed"), "r/u:1@" + A, candidate(A, "0.3.0")).get(0)
        .contains("drifted since the test: live release is revision 4"));
    assertTrue(judge(record(A, "passed", A), live(3, "pending-upgrade"), "r/u:1@" + A, candidate(A, "0.3.0")).get(0)
        .contains("(pending-upgrade)"));
    assertTrue(judge(record(A, "passed", A), live(3, "deployed"), "r/u:1@" + B, candidate(A, "0.3.0")).get(0)
        .contains("drifted since the test: it runs"));
  }
}
