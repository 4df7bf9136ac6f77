package dev.datahub.promotion;

import dev.datahub.image.BuiltImage;
import dev.datahub.image.Digest;
import dev.datahub.log.StepLog;
import dev.datahub.release.DeploySummary;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.HubRelease;
import dev.datahub.release.SmokeVerdict;
import dev.datahub.smoke.SmokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The smoke test of one environment as the smoke-test goal runs it: whether it is needed at all, which image the hub
 * must run, and the verdict written into the environment's latest deployment record (what promote trusts).
 */
public final class EnvironmentSmoke {

  /** Runs the hub checks; never throws for a failed check (the result says). */
  @FunctionalInterface
  public interface Checks {
    SmokeResult run(String hubUrl, String expectedImage);
  }

  private final String environment;
  private final HubRelease release;
  private final StepLog log;

  /** @param release the environment's release; null when it is not configured (then only the hub is tested) */
  public EnvironmentSmoke(String environment, HubRelease release, StepLog log) {
    this.environment = environment;
    this.release = release;
    this.log = log;
  }

  /**
   * Why the test is not needed, when it is not: deploy-staging skipped in this build, and the record the environment
   * runs (its latest) is the one it matched and already passed its smoke test for the same image digest.
   *
   * @param deployed this build's deploy outcome for the environment; null when nothing was deployed in this build
   */
  public Optional<String> alreadyPassed(DeploySummary deployed) {
    if (release == null || deployed == null || !deployed.skipped()) {
      return Optional.empty();
    }
    Optional<DeploymentRecord> latest = release.records().latest();
    if (latest.isEmpty() || !latest.get().id().equals(deployed.record())) {
      return Optional.empty();
    }
    DeploymentRecord record = latest.get();
    if (!release.records().whyNotPassed(record).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("record " + record.id() + " already passed its smoke test for " + record.imageDigest()
        + " at " + record.smoke().time());
  }

  /**
   * Runs the checks at the environment's hub URL for the image of this build ({@code image.json} in
   * {@code outputDirectory}), else the image of the environment's latest record, and records the verdict.
   */
  public SmokeResult run(Checks checks, Path outputDirectory, boolean rollbackOnFailure, String sourceCommit) {
    SmokeResult result = checks.run(release == null ? null : release.environment().hubUrl(),
        expectedImage(outputDirectory));
    if (release != null) {
      DeploymentRecord record = release.recordSmoke(verdict(result, result.hubUrl()), false, rollbackOnFailure,
          sourceCommit);
      log.info("Smoke result recorded in " + environment + "'s deployment record " + record.id());
    }
    return result;
  }

  /** The verdict a record keeps of a smoke test that ran at {@code hubUrl}. */
  public static SmokeVerdict verdict(SmokeResult result, String hubUrl) {
    return new SmokeVerdict(result.passed(), Digest.in(result.observedImage()), hubUrl,
        result.passed() ? "passed" : result.failure());
  }

  private String expectedImage(Path outputDirectory) {
    if (Files.exists(outputDirectory.resolve(BuiltImage.FILE_NAME))) {
      return BuiltImage.readFrom(outputDirectory).reference();
    }
    if (release != null) {
      return release.records().latest().map(DeploymentRecord::image).orElse(null);
    }
    return null;
  }
}
