package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.Digest;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploySummary;
import dev.datahub.release.HubRelease;
import dev.datahub.release.SmokeVerdict;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code datahub:smoke-test}: logs in to the hub as a test user, starts a server, runs the checks
 * in a kernel, verifies the server runs the expected image, cleans up, and writes the reports to
 * {@code target/datahub/smoke-test/}. When {@code <environments>} configures the environment, the
 * hub URL comes from it and the verdict is written into its latest deployment record (what promote
 * trusts). Fails the build when the smoke test fails.
 */
@Mojo(name = "smoke-test", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true)
public class SmokeTestMojo extends AbstractReleaseMojo {

  /** Which environment is tested, e.g. staging or prod. */
  @Parameter(property = "datahub.environment", defaultValue = "staging")
  String environment;

  /** Skips only this goal. */
  @Parameter(property = "datahub.smoke-test.skip", defaultValue = "false")
  boolean skipSmokeTest;

  @Override
  protected boolean skipGoal() {
    return skipSmokeTest;
  }

  @Override
  protected String goalName() {
    return "smoke-test";
  }

  /** Run even when nothing was deployed in this build and the deployed bundle already passed. */
  @Parameter(property = "datahub.smoke.force", defaultValue = "false")
  boolean force;

  @Override
  protected void runRelease() {
    HubRelease release = hasEnvironment(environment) ? hubRelease(environment) : null;
    DeploySummary deployed = (DeploySummary) project.getContextValue(DeployStagingMojo.OUTCOME + environment);
    if (release != null && deployed != null && !force) {
      Optional<String> passed = alreadyPassed(release, deployed);
      if (passed.isPresent()) {
        log().info("Skipping the smoke test of " + environment + ": nothing was deployed in this build and "
            + passed.get() + "; -Ddatahub.smoke.force=true runs it anyway");
        finish(deployed.withSmoke(DeploySummary.SKIPPED, "already passed for record " + deployed.record()));
        return;
      }
    }
    try {
      test(release);
      if (deployed != null) {
        finish(deployed.withSmoke("passed", null));
      }
    } catch (DataHubException e) {
      if (deployed != null) {
        finish(deployed.withSmoke("failed", null));
      }
      throw e;
    }
  }

  /**
   * Why the test is not needed, when it is not: deploy-staging skipped in this build, and the record the environment
   * runs (its latest) is the one it matched and already passed its smoke test for the same image digest.
   */
  private static Optional<String> alreadyPassed(HubRelease release, DeploySummary deployed) {
    if (!deployed.skipped()) {
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

  private void finish(DeploySummary summary) {
    summary.writeTo(outputDirectory().resolve("release"));
    project.setContextValue(DeployStagingMojo.OUTCOME + environment, summary);
  }

  private void test(HubRelease release) {
    boolean released = release != null;
    String hubUrl = released ? environment(environment).hubUrl() : null;
    SmokeTestLauncher launcher = smokeTestLauncher();
    SmokeResult result = launcher.run(environment, hubUrl, expectedImage(release));
    if (released) {
      DeploymentRecord record = release.recordSmoke(new SmokeVerdict(result.passed(),
          Digest.in(result.observedImage()), result.hubUrl(), result.passed() ? "passed" : result.failure()), false,
          rollbackOnSmokeFailure, sourceCommit());
      log().info("Smoke result recorded in " + environment + "'s deployment record " + record.id());
    }
    if (!result.passed()) {
      throw new DataHubException("smoke test of " + environment + " failed: " + result.failure()
          + " (details: " + launcher.reportDir().resolve(SmokeReports.MARKDOWN_FILE) + ")");
    }
  }

  /** The image of this build (target/datahub/image.json), else what the environment's latest record deployed. */
  private String expectedImage(HubRelease release) {
    if (Files.exists(outputDirectory().resolve(BuiltImage.FILE_NAME))) {
      return BuiltImage.readFrom(outputDirectory()).reference();
    }
    if (release != null) {
      return release.records().latest().map(DeploymentRecord::image).orElse(null);
    }
    return null;
  }
}
