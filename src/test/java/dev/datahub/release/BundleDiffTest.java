package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BundleDiffTest {

  static final String HMAC_1 = "hmac-sha256:" + "1f".repeat(32);
  static final String HMAC_2 = "hmac-sha256:" + "2e".repeat(32);

  static ReleaseBundle bundle(char image, String version, String chartDigest, String common, String env, String hmac) {
    return new ReleaseBundle("r.example.org/u@sha256:" + String.valueOf(image).repeat(64),
        "sha256:" + String.valueOf(image).repeat(64), "hub", version, chartDigest, common, env, "sha256:" + "0".repeat(64),
        hmac, List.of("proxy.secretToken"), "abc");
  }

  @Test
  void sameBundleIsEmpty() {
    ReleaseBundle a = bundle('a', "1.0", "sha256:c1", "sha256:v1", "sha256:e1", HMAC_1);
    assertTrue(BundleDiff.between(a, a).isEmpty());
    assertEquals(List.of(), BundleDiff.between(a, a).lines());
  }

  @Test
  void everyPartThatChangedIsOneLineAndSecretsOnlySayTheyChanged() {
    ReleaseBundle before = bundle('a', "1.0", "sha256:c1", "sha256:v1", "sha256:e1", HMAC_1);
    ReleaseBundle after = bundle('b', "1.1", "sha256:c2", "sha256:v2", "sha256:e2", HMAC_2);
    List<String> lines = BundleDiff.between(before, after).lines();
    assertEquals(List.of("image sha256:" + "a".repeat(12) + " -> sha256:" + "b".repeat(12),
        "packages and content not compared: the new bundle does not record what its image holds (built or deployed "
            + "before the plugin recorded it)",
        "chart hub-1.0 -> hub-1.1", "common values changed (v1 -> v2)", "environment values changed (e1 -> e2)",
        "secret values changed (not shown)"), lines);
    for (String line : lines) {
      assertFalse(line.contains("1f1f") || line.contains("2e2e"), "no part of a secret fingerprint: " + line);
    }
    List<String> content = BundleDiff.between(before, bundle('a', "1.0", "sha256:c2", "sha256:v1", "sha256:e1", HMAC_1))
        .lines();
    assertEquals(List.of("chart hub-1.0 content changed (c1 -> c2)"), content);
  }

  @Test
  void nothingBeforeIsAFirstRelease() {
    BundleDiff first = BundleDiff.between(null, bundle('a', "1.0", "sha256:c1", "sha256:v1", "sha256:e1", HMAC_1));
    assertFalse(first.isEmpty());
    assertEquals(List.of("nothing deployed yet: r.example.org/u@sha256:" + "a".repeat(64) + " with chart hub-1.0"),
        first.lines());
  }
}
