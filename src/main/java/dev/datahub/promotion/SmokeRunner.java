package dev.datahub.promotion;

/**
 * Runs the smoke test against an environment (implemented by the smoke-test goal's service). Used by {@code promote}
 * to test prod after the deploy, and by {@code deploy-staging} for the automatic rollback on a failed smoke test.
 */
@FunctionalInterface
public interface SmokeRunner {

  /** @return true when the hub at {@code hubUrl} serves {@code imageReference} and the checks pass */
  boolean run(String environment, String hubUrl, String imageReference);
}
