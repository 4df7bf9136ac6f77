package dev.datahub.promotion;

import dev.datahub.release.SmokeVerdict;

/**
 * Runs the smoke test against an environment (implemented by the smoke-test goal's service). Used by {@code promote}
 * to test prod after the deploy.
 */
@FunctionalInterface
public interface SmokeRunner {

  /**
   * Tests the hub at exactly {@code hubUrl}, expecting exactly {@code imageReference}: no smoke-level override of the
   * hub URL or the expected image applies (prod's test must be prod's).
   */
  SmokeVerdict run(String environment, String hubUrl, String imageReference);
}
