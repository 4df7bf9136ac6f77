package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.promotion.EnvironmentSmoke;
import dev.datahub.release.DeploySummary;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
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
    EnvironmentSmoke smoke = new EnvironmentSmoke(environment,
        hasEnvironment(environment) ? hubRelease(environment) : null, log());
    DeployOutcomes outcomes = deployOutcomes();
    DeploySummary deployed = outcomes.ofThisBuild(environment);
    Optional<String> passed = force ? Optional.empty() : smoke.alreadyPassed(deployed);
    if (passed.isPresent()) {
      log().info("Skipping the smoke test of " + environment + ": nothing was deployed in this build and "
          + passed.get() + "; -Ddatahub.smoke.force=true runs it anyway");
      outcomes.put(deployed.withSmoke(DeploySummary.SKIPPED, "already passed for record " + deployed.record()));
      return;
    }
    String smokeStatus = "failed";
    try {
      SmokeTestLauncher launcher = smokeTestLauncher();
      SmokeResult result = smoke.run((hubUrl, image) -> launcher.run(environment, hubUrl, image), outputDirectory(),
          rollbackOnSmokeFailure, sourceCommit());
      if (!result.passed()) {
        throw new DataHubException("smoke test of " + environment + " failed: " + result.failure()
            + " (details: " + launcher.reportDir().resolve(SmokeReports.MARKDOWN_FILE) + ")");
      }
      smokeStatus = "passed";
    } finally {
      if (deployed != null) {
        outcomes.put(deployed.withSmoke(smokeStatus, null));
      }
    }
  }

  /**
   * Against a configured environment the smoke test reads and writes its deployment records in the cluster; against
   * a bare {@code <hubUrl>} it only talks to the hub.
   */
  @Override
  protected boolean usesHelmOrKubernetes() {
    return hasEnvironment(environment) || rollbackOnSmokeFailure;
  }
}
